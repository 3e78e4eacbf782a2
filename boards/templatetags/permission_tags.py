"""Template tags for public pages: what the visitor may see of an agenda item or a minute.

Templates ask these instead of restating a rule; boards.permissions decides.
"""

from django import template

from boards import permissions

register = template.Library()


def _user(context):
    return getattr(context.get("request"), "user", None)


@register.simple_tag(takes_context=True)
def item_detail_visible(context, item, board, meeting):
    """{% item_detail_visible item board page as shown %}: an agenda item's summary, papers and presenter."""
    return permissions.can_view_item_detail(_user(context), item, board, meeting=meeting)


@register.simple_tag(takes_context=True)
def minute_detail_visible(context, item, board):
    """{% minute_detail_visible item board as shown %}: a minute's discussion and resolution."""
    return permissions.can_view_minute_detail(_user(context), item, board)
