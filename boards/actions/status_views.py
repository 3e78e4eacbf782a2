"""Admin views of an action outside Wagtail's generic ones: "Update status" and the one-click close.

Each asks boards.permissions; updates go through Action.change_status, which locks the row and records history.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.log_actions import log

from boards import permissions
from boards.models import Action, MeetingPage
from boards.models.actions import OPEN_STATUSES, ActionStatus

from .forms import ActionStatusForm, CloseActionForm

logger = logging.getLogger(__name__)

STATUS_LOG_ACTION = "boards.action_status"


def _record(request, action, new_status, note):
    previous = action.status
    update = action.change_status(request.user, new_status, note)
    log(
        instance=action,
        action=STATUS_LOG_ACTION,
        user=request.user,
        data={"from": previous, "to": action.status, "note": note[:200], "update": update.pk},
    )
    return update


def action_status(request, pk):
    """Show an action read-only with its history, and record a status change or note."""
    action = get_object_or_404(
        Action.objects.select_related("board", "owner", "owner_person", "meeting", "agenda_item"), pk=pk
    )
    if not permissions.can_view_action(request.user, action):
        # Another agency's action is not acknowledged at all.
        raise Http404
    if not permissions.can_change_action_status(request.user, action):
        raise PermissionDenied
    form = ActionStatusForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        _record(request, action, form.cleaned_data["new_status"], form.cleaned_data["note"])
        messages.success(request, f"Action {action.reference} updated.")
        return redirect("boards_action_status", action.pk)
    updates = action.updates.select_related("author").order_by("-created_at", "-id")
    return TemplateResponse(
        request,
        "boards/admin/action_status.html",
        {
            "action": action,
            "form": form,
            "updates": updates,
            "can_edit": permissions.can_edit_action(request.user, action),
            "shared_with": list(action.shared_with.all()),
        },
    )


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _bad_close(request, reason):
    logger.info("action close refused user=%s reason=%s", request.user.pk, reason)
    if _wants_json(request):
        return JsonResponse({"error": reason}, status=400)
    return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")


@require_POST
def close_action(request, pk):
    """One click from the minutes editor: mark an open action done, recorded as an update ("Closed at ...").

    The minutes editor sends it with fetch() (boards/static/boards/js/close-action.js), apart from the minutes form,
    so the draft being typed is neither submitted nor lost; it then answers JSON. A plain form POST is redirected
    to `next` (same host only) or to the action's page.
    """
    action = get_object_or_404(Action.objects.select_related("board"), pk=pk)
    if not permissions.can_view_action(request.user, action):
        raise Http404
    if not permissions.can_change_action_status(request.user, action):
        raise PermissionDenied
    form = CloseActionForm({"meeting": request.POST.get("meeting", "")})
    if not form.is_valid():
        return _bad_close(request, "The meeting must be given by its number.")
    meeting = None
    if form.cleaned_data["meeting"]:
        meeting = MeetingPage.objects.filter(pk=form.cleaned_data["meeting"]).first()
        if meeting is None or meeting.get_parent().pk != action.board_id:
            return _bad_close(request, f"That is not a meeting of {action.board.title}.")
    closed = action.status in OPEN_STATUSES
    if closed:
        note = f"Closed at the meeting of {date_format(meeting.local_date, 'j F Y')}." if meeting else "Closed."
        update = _record(request, action, ActionStatus.DONE, note)
        message = f"Action {action.reference} closed."
    else:
        update = None
        message = f"Action {action.reference} was already {action.get_status_display().lower()}."
    if _wants_json(request):
        return JsonResponse(
            {
                "reference": action.reference,
                "closed": closed,
                "status": action.status,
                "status_display": action.get_status_display(),
                "note": update.note if update else "",
                "updated_on": date_format(timezone.localtime(update.created_at), "j M Y") if update else "",
                "message": message,
            }
        )
    (messages.success if closed else messages.warning)(request, message)
    next_url = request.POST.get("next")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("boards_action_status", action.pk)
