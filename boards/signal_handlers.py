"""Every signal receiver of the boards app, connected by connect() in BoardsConfig.ready().

Grants follow the data on every save path; PDFs are made on publish and removed on unpublish; deactivated users
lose their sessions; minutes never move; the chair hears of minutes submitted to them; role groups follow migrate.
"""

import logging

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save
from wagtail.models import Page, Site, TaskState
from wagtail.signals import page_published, page_unpublished, pre_page_move, task_submitted

from boards import grants, roles, sessions
from boards.minutes.notifications import ChairApprovalSubmittedNotifier
from boards.minutes.workflow import ensure_minutes_workflow
from boards.models import Action, BoardPage, BoardPartner, MeetingPage, MinutesPage, Organisation
from boards.models.minutes import refuse_moving_minutes
from boards.publishing import sites
from boards.publishing import tasks as publishing_tasks
from boards.publishing.pdf import storage as pdf_storage
from boards.signals import records_imported

logger = logging.getLogger(__name__)


# --- PDFs follow publishing (the work runs as django-tasks tasks, boards.publishing.tasks) ---------------------


def minutes_published(sender, instance, **kwargs):
    publishing_tasks.render_minutes_pdfs.enqueue(instance.pk)


def meeting_published(sender, instance, **kwargs):
    if instance.agenda_published_at:
        publishing_tasks.render_agenda_pdfs.enqueue(instance.pk)
    # Attendance lives on the meeting: its minutes' PDFs carry it, so they follow the meeting.
    minutes = MinutesPage.objects.child_of(instance).live().first()
    if minutes is not None:
        publishing_tasks.render_minutes_pdfs.enqueue(minutes.pk)


def minutes_unpublished(sender, instance, **kwargs):
    removed = pdf_storage.delete_pdfs(instance, "minutes")
    logger.info("minutes page=%s unpublished: %s stored PDFs removed", instance.pk, removed)


def meeting_unpublished(sender, instance, **kwargs):
    pdf_storage.delete_pdfs(instance, "agenda")


# --- guardian grants follow the data on every save path (boards.grants) --------------------------------------


def organisation_saved(sender, instance, raw=False, **kwargs):
    # Fixture loads and serialized-database restores (raw saves) carry their grants with them.
    if raw:
        return
    if instance.group_id:
        grants.ensure_agency_group_permissions([instance.group])
        # A replaced group: re-derive every grant that follows from this organisation.
        board_ids = list(instance.board_partnerships.values_list("board_id", flat=True))
        if board_ids:
            grants.sync_boards(board_ids)
        action_ids = list(instance.owned_actions.values_list("pk", flat=True)) + list(
            instance.shared_actions.values_list("pk", flat=True)
        )
        if action_ids:
            grants.sync_actions(action_ids)


def partner_changed(sender, instance, **kwargs):
    # Deleting the board itself cascades here: its grants go with it, nothing to re-derive.
    if kwargs.get("raw") or isinstance(kwargs.get("origin"), Page):
        return
    if instance.board_id:
        grants.sync_boards([instance.board_id])


def action_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    grants.sync_actions([instance.pk])


def action_shared(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse and action == "pre_clear":
        # The organisation side is being cleared: remember which actions lose it.
        instance._grants_cleared_action_ids = list(instance.shared_actions.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        grants.sync_actions([instance.pk])
    elif action == "post_clear":
        grants.sync_actions(getattr(instance, "_grants_cleared_action_ids", []))
    else:
        grants.sync_actions(list(pk_set or []))


def board_published(sender, instance, **kwargs):
    if isinstance(instance, BoardPage) or getattr(instance, "specific_class", None) is BoardPage:
        grants.sync_boards([instance.pk])


def records_were_imported(sender, **kwargs):
    grants.sync_all()


# --- sessions end when an account is deactivated (boards.sessions) -------------------------------------------


def remember_if_active(sender, instance, raw=False, update_fields=None, **kwargs):
    # A login's last_login update does not touch is_active: skip the extra query.
    if raw or instance.pk is None or (update_fields is not None and "is_active" not in update_fields):
        return
    instance._was_active = sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()


def end_sessions_on_deactivation(sender, instance, created=False, raw=False, **kwargs):
    if raw or created or instance.is_active or not getattr(instance, "_was_active", False):
        return
    count = sessions.end_sessions_of(instance.pk)
    logger.info(
        "user deactivated, sessions ended", extra={"event": "sessions_ended", "user": instance.pk, "count": count}
    )


# --- role groups and the minutes workflow after every migrate ------------------------------------------------


def roles_after_migrate(sender, **kwargs):
    if sender.name != "boards":
        return
    roles.ensure_permissions_exist()
    roles.ensure_role_groups()
    ensure_minutes_workflow()


chair_approval_submitted_notifier = ChairApprovalSubmittedNotifier()


def connect(app_config):
    """Connect every receiver above (BoardsConfig.ready)."""
    page_published.connect(minutes_published, sender=MinutesPage, dispatch_uid="boards_minutes_published")
    page_published.connect(meeting_published, sender=MeetingPage, dispatch_uid="boards_meeting_published")
    page_unpublished.connect(minutes_unpublished, sender=MinutesPage, dispatch_uid="boards_minutes_unpublished")
    page_unpublished.connect(meeting_unpublished, sender=MeetingPage, dispatch_uid="boards_meeting_unpublished")

    post_save.connect(organisation_saved, sender=Organisation, dispatch_uid="grants_organisation_saved")
    post_save.connect(partner_changed, sender=BoardPartner, dispatch_uid="grants_partner_saved")
    post_delete.connect(partner_changed, sender=BoardPartner, dispatch_uid="grants_partner_deleted")
    post_save.connect(action_saved, sender=Action, dispatch_uid="grants_action_saved")
    m2m_changed.connect(action_shared, sender=Action.shared_with.through, dispatch_uid="grants_action_shared")
    page_published.connect(board_published, dispatch_uid="grants_page_published")
    records_imported.connect(records_were_imported, dispatch_uid="grants_records_imported")

    user_model = get_user_model()
    pre_save.connect(remember_if_active, sender=user_model, dispatch_uid="boards_remember_if_active")
    post_save.connect(end_sessions_on_deactivation, sender=user_model, dispatch_uid="boards_end_sessions")

    post_save.connect(sites.forget_sites_for_hosts, sender=Site, dispatch_uid="boards_site_for_host_saved")
    post_delete.connect(sites.forget_sites_for_hosts, sender=Site, dispatch_uid="boards_site_for_host_deleted")

    post_migrate.connect(roles_after_migrate, sender=app_config)
    pre_page_move.connect(refuse_moving_minutes, sender=MinutesPage, dispatch_uid="boards_refuse_moving_minutes")
    task_submitted.connect(
        chair_approval_submitted_notifier, sender=TaskState, dispatch_uid="boards_chair_approval_submitted_email"
    )
