"""Template tags for actions on public pages: the carried-forward "Action log" of a meeting.

What the visitor may see is decided by boards.permissions (through boards.actions.queries).
"""

from django import template

from boards.actions.queries import carried_forward_actions as carried
from boards.dates import short_date

register = template.Library()


@register.simple_tag(takes_context=True)
def carried_forward_actions(context, meeting):
    """Open actions of the meeting's board from earlier meetings, filtered by the visitor's audience."""
    request = context.get("request")
    actions = carried(meeting, getattr(request, "user", None))
    # A meeting carries a hundred or more open actions forward: their dates are printed memoised (boards.dates).
    for action in actions:
        action.due_label = short_date(action.due_on)
        action.latest_update_label = short_date(action.latest_update_at)
    return actions
