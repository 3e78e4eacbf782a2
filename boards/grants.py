"""Guardian object-permission grants, derived from data and kept in step on every save path (boards.signal_handlers).

`view_restricted` on a BoardPage goes to each current partner's Group; `change_action` on an Action to its owner's and
each `shared_with` organisation's Group. `sync_all()` rebuilds everything and is what imports call afterwards.
"""

import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from boards.models import (
    Action,
    ActionGroupObjectPermission,
    ActionUserObjectPermission,
    BoardPageGroupObjectPermission,
    BoardPageUserObjectPermission,
    BoardPartner,
)
from pagecache.generation import bump

logger = logging.getLogger(__name__)

# The only model-level permission an "Agency: …" group holds: entry to the admin, where the allow-list
# (boards.permissions.agency_may_reach) and the per-object action policy decide. Model-level view/change on actions
# would be trusted by Wagtail's bulk actions and site history report, which show every action's text.
AGENCY_MODEL_PERMS = [("wagtailadmin", "access_admin")]


@dataclass
class SyncReport:
    """What a sync changed: rows added and removed, by kind."""

    added: dict = field(default_factory=dict)
    removed: dict = field(default_factory=dict)

    def add(self, kind, added=0, removed=0):
        if added:
            self.added[kind] = self.added.get(kind, 0) + added
        if removed:
            self.removed[kind] = self.removed.get(kind, 0) + removed

    def merge(self, other):
        for kind, n in other.added.items():
            self.add(kind, added=n)
        for kind, n in other.removed.items():
            self.add(kind, removed=n)
        return self

    @property
    def changes(self):
        return sum(self.added.values()) + sum(self.removed.values())

    def lines(self):
        kinds = sorted(set(self.added) | set(self.removed))
        return [f"{kind}: +{self.added.get(kind, 0)} -{self.removed.get(kind, 0)}" for kind in kinds]


def _permission(codename, app_label="boards"):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def partner_filter(on=None, prefix=""):
    """A Q for BoardPartner rows current on a date (today by default): joined on or before it, not yet left."""
    on = on or timezone.localdate()
    return (Q(**{f"{prefix}joined_on__isnull": True}) | Q(**{f"{prefix}joined_on__lte": on})) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on})
    )


def desired_board_grants(board_ids=None, on=None):
    """{(group_id, board_id)} that should hold view_restricted today."""
    partners = BoardPartner.objects.filter(partner_filter(on), organisation__group__isnull=False)
    if board_ids is not None:
        partners = partners.filter(board_id__in=board_ids)
    return set(partners.values_list("organisation__group_id", "board_id"))


def desired_action_grants(action_ids=None):
    """{(group_id, action_id)} that should hold change_action: the owner's and each shared organisation's group."""
    owners = Action.objects.filter(owner__group__isnull=False)
    shared = Action.shared_with.through.objects.filter(organisation__group__isnull=False)
    if action_ids is not None:
        owners = owners.filter(pk__in=action_ids)
        shared = shared.filter(action_id__in=action_ids)
    return set(owners.values_list("owner__group_id", "pk")) | set(
        shared.values_list("organisation__group_id", "action_id")
    )


def _sync_rows(model, permission, desired, scope_ids, kind, report):
    """Make `model`'s rows for `permission` (limited to objects in scope_ids, or all) equal `desired`."""
    existing_qs = model.objects.filter(permission=permission)
    if scope_ids is not None:
        existing_qs = existing_qs.filter(content_object_id__in=scope_ids)
    existing = {}
    for pk, group_id, object_id in existing_qs.values_list("pk", "group_id", "content_object_id"):
        existing.setdefault((group_id, object_id), []).append(pk)
    stale = [pk for key, pks in existing.items() if key not in desired for pk in pks]
    # Duplicates of a wanted row are removed too, so the table is exactly the derived set.
    stale += [pk for key, pks in existing.items() if key in desired for pk in pks[1:]]
    missing = desired - set(existing)
    if stale:
        model.objects.filter(pk__in=stale).delete()
    if missing:
        model.objects.bulk_create(
            [model(group_id=g, content_object_id=o, permission=permission) for g, o in sorted(missing)],
            batch_size=1000,
        )
        # bulk_create sends no post_save: replace the content generation that cached listings' counts are keyed on.
        bump()
    report.add(kind, added=len(missing), removed=len(stale))


def sync_boards(board_ids=None, on=None):
    """Rebuild view_restricted grants for some boards (or all); returns a SyncReport."""
    report = SyncReport()
    with transaction.atomic():
        _sync_rows(
            BoardPageGroupObjectPermission,
            _permission("view_restricted"),
            desired_board_grants(board_ids, on),
            board_ids,
            "board view_restricted",
            report,
        )
    return report


def sync_actions(action_ids=None):
    """Rebuild change_action grants for some actions (or all); returns a SyncReport."""
    report = SyncReport()
    with transaction.atomic():
        _sync_rows(
            ActionGroupObjectPermission,
            _permission("change_action"),
            desired_action_grants(action_ids),
            action_ids,
            "action change_action",
            report,
        )
    return report


def ensure_agency_group_permissions(groups=None):
    """Make each agency group (or those given) hold exactly AGENCY_MODEL_PERMS; returns (added, removed)."""
    perms = [_permission(codename, app_label) for app_label, codename in AGENCY_MODEL_PERMS]
    wanted_ids = {p.pk for p in perms}
    if groups is None:
        groups = Group.objects.filter(organisation__isnull=False)
    groups = list(groups)
    added = 0
    through = Group.permissions.through
    for group in groups:
        have = set(through.objects.filter(group_id=group.pk).values_list("permission_id", flat=True))
        wanted = [p for p in perms if p.pk not in have]
        if wanted:
            group.permissions.add(*wanted)
            added += len(wanted)
    # Anything else an agency group holds (e.g. view_action/change_action of old) is not derived from data.
    removed, _ = (
        through.objects.filter(group_id__in=[g.pk for g in groups]).exclude(permission_id__in=wanted_ids).delete()
    )
    return added, removed


def _clear_underived_grants(report):
    """Per-user object grants are never derived from data, and guardian's anonymous user must hold nothing."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    for model, kind in (
        (BoardPageUserObjectPermission, "board user grants"),
        (ActionUserObjectPermission, "action user grants"),
    ):
        n, _ = model.objects.all().delete()
        report.add(kind, removed=n)
    # Other permissions on these tables (e.g. a stray change_boardpage) are not ours to keep either.
    n, _ = BoardPageGroupObjectPermission.objects.exclude(permission__codename="view_restricted").delete()
    report.add("board other grants", removed=n)
    n, _ = ActionGroupObjectPermission.objects.exclude(permission__codename="change_action").delete()
    report.add("action other grants", removed=n)
    anonymous_name = getattr(settings, "ANONYMOUS_USER_NAME", None)
    if anonymous_name:
        anonymous = get_user_model().objects.filter(username=anonymous_name).first()
        if anonymous is not None:
            groups = anonymous.groups.count()
            perms = anonymous.user_permissions.count()
            if groups or perms:
                anonymous.groups.clear()
                anonymous.user_permissions.clear()
                report.add("anonymous user", removed=groups + perms)


def sync_all():
    """Rebuild every grant from the data; idempotent. Returns a SyncReport (0 changes on a consistent database)."""
    report = SyncReport()
    with transaction.atomic():
        added, removed = ensure_agency_group_permissions()
        report.add("agency model permissions", added=added, removed=removed)
        _clear_underived_grants(report)
        report.merge(sync_boards())
        report.merge(sync_actions())
    logger.info("permissions synced changes=%s %s", report.changes, "; ".join(report.lines()))
    return report
