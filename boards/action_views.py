"""Views of actions outside Wagtail's generic ones: "Update status", one-click close, and the public action log.

Each asks boards.permissions; updates go through Action.change_status, which locks the row and records history.
"""

import logging

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.log_actions import log

from . import permissions
from .filters import PublicActionFilterSet
from .models import Action, ActionUpdate, MeetingPage, Organisation
from .models.actions import OPEN_STATUSES, ActionStatus

logger = logging.getLogger(__name__)

PUBLIC_PER_PAGE = 50
STATUS_LOG_ACTION = "boards.action_status"


class ActionStatusForm(forms.Form):
    """Agency staff's only form on an action: a new status and a note."""

    new_status = forms.ChoiceField(choices=ActionStatus.choices, label="Status")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        label="Update note",
        help_text="What has been done; shown in the action's history (and publicly, for public actions).",
    )

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action is not None and not self.is_bound:
            self.initial["new_status"] = action.status

    def clean(self):
        cleaned = super().clean()
        if self.action is not None and cleaned.get("new_status") == self.action.status and not cleaned.get("note"):
            raise ValidationError("Change the status or write a note: an update needs one or the other.")
        return cleaned


def with_latest_update(queryset):
    """Annotate each action with its latest update (note, time, author), one subquery each: no per-row queries."""
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-id")
    return queryset.annotate(
        latest_update_note=Subquery(latest.values("note")[:1]),
        latest_update_at=Subquery(latest.values("created_at")[:1]),
        latest_update_status=Subquery(latest.values("new_status")[:1]),
    )


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


class CloseActionForm(forms.Form):
    """What a close from the minutes editor may say: the meeting it was closed at (optional, of the same board)."""

    meeting = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


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


def carried_forward_actions(meeting, user):
    """Actions of the meeting's board still open from earlier meetings, each with its latest update.

    The public sees only actions from published minutes of non-exempt items; restricted viewers see all.
    """
    board = meeting.get_parent().specific
    actions = Action.objects.filter(
        board_id=board.pk, status__in=OPEN_STATUSES, meeting__starts_at__lt=meeting.starts_at
    )
    if not permissions.can_view_restricted(user, board):
        actions = actions.filter(permissions.public_actions_filter(within=board.path))
    # Only the owner is shown: joining the meeting and agenda item made two more model instances a row (a page
    # and a ClusterableModel), half of the meeting page's time with 131 actions carried forward.
    return list(with_latest_update(actions).select_related("owner").order_by("meeting__starts_at", "reference"))


def _page_of(actions, reference):
    """The page of the log (newest meeting first, then reference) holding the action `reference`, else 1.

    Search results link to an action as ?action=REFERENCE#anchor: the anchor alone would only work on page 1.
    """
    if not reference or len(reference) > 40 or "\x00" in reference:
        return 1
    target = actions.filter(reference=reference).values("meeting__starts_at").first()
    if target is None:
        return 1
    starts_at = target["meeting__starts_at"]
    before = actions.filter(
        Q(meeting__starts_at__gt=starts_at) | Q(meeting__starts_at=starts_at, reference__lt=reference)
    ).count()
    return before // PUBLIC_PER_PAGE + 1


def public_action_log(request, board):
    """/boards/<board>/actions/: public actions of the board, filterable by status and agency, paginated."""
    today = timezone.localdate()
    base = Action.objects.filter(board_id=board.pk).filter(permissions.public_actions_filter(within=board.path))
    # The agencies with public actions here, found once: the form validates against them and lists them, and with
    # the subquery each of those re-ran the scan of the board's actions (half this page's database time).
    owner_ids = set(base.order_by().values_list("owner_id", flat=True).distinct())
    owners = Organisation.objects.filter(pk__in=owner_ids).order_by("name")
    filterset = PublicActionFilterSet(request.GET or None, queryset=base, owners=owners)
    if filterset.is_bound and not filterset.is_valid():
        # A bad filter value is the visitor's mistake: say so, with the form, as a 400.
        actions = Action.objects.none()
        status = 400
    else:
        actions = filterset.qs
        status = 200
    page_number = request.GET.get("page") or _page_of(actions, request.GET.get("action"))
    actions = (
        with_latest_update(actions)
        .select_related("owner", "meeting", "agenda_item")
        .order_by("-meeting__starts_at", "reference")
    )
    paginator = Paginator(actions, PUBLIC_PER_PAGE)
    try:
        page = paginator.page(page_number)
    except PageNotAnInteger:
        page = paginator.page(1)
        status = 400
    except EmptyPage:
        raise Http404("No such page of actions.") from None
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("action", None)
    return TemplateResponse(
        request,
        "boards/board_actions.html",
        {
            "page": board,
            "board": board,
            "filter": filterset,
            "actions": page,
            "paginator": paginator,
            "today": today,
            "query_string": query.urlencode(),
        },
        status=status,
    )
