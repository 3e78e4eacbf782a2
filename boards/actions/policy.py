"""Wagtail's permission policy for the Action snippet: model-level and per-object answers from boards.permissions.

Registered for Action by boards/wagtail_hooks.py before anything asks the policy registry about it.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from boards import permissions


class ActionPermissionPolicy(ModelPermissionPolicy):
    """Model-level answers from boards.permissions, never from auth perms; objects decide the rest.

    Model level: "view" (the menu and "Our actions") for the secretariat and staff of any agency; everything else
    for the secretariat only. Agency groups hold no model-level action permission, which Wagtail's bulk actions and
    site history would trust. Per instance: "view" and "change_status" for the owning and sharing agencies (guardian
    grants + current data); "change", "delete" and anything else for the secretariat only.
    """

    def user_has_permission(self, user, action):
        return permissions.may_on_actions(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return permissions.may_on_action(user, action, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return permissions.actions_with_any_of(user, actions)
