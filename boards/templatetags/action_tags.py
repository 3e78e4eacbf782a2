"""Template tags for actions on public pages: the carried-forward "Action log" of a meeting.

What the visitor may see is decided by boards.permissions (through boards.action_views).
"""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def carried_forward_actions(context, meeting):
    """Open actions of the meeting's board from earlier meetings, filtered by the visitor's audience."""
    from boards.action_views import carried_forward_actions as carried

    request = context.get("request")
    return carried(meeting, getattr(request, "user", None))
