"""Template tags for admin screens: whether the signed-in user may reach an admin URL (boards.permissions decides).

Used to leave out links and forms that would lead agency staff to a view the allow-list refuses them.
"""

from django import template

from boards import permissions

register = template.Library()


@register.filter
def may_reach(user, url_name):
    """{% if request.user|may_reach:"wagtailadmin_explore" %}: the allow-list's answer for this URL name."""
    return permissions.agency_may_reach(user, url_name)
