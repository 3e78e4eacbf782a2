"""The admin listing of actions as an HTML table written in plain string operations: 50 rows x 7 cells a page.

Same markup as Wagtail's templates (cells, title cell, "Update status" button), without a template render per cell.
"""

from html import escape as _escape

from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.admin.ui.tables import Column, Table, TitleColumn
from wagtail.admin.widgets import ListingButton

from boards.models.actions import ActionStatus

STATUS_LABELS = dict(ActionStatus.choices)


# The listing writes 50 rows x 7 cells: Django's format_html/conditional_escape/flatatt, with their lazy-string
# wrappers, cost more than the rest of the page's body. These do the same escaping (Django's escape is
# html.escape) in plain string operations.
def _html(value):
    """conditional_escape(value) as a str."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape(str(value))


def _attrs(attrs):
    """flatatt(attrs) as a str: True gives a bare attribute; False and None leave it out."""
    return "".join(
        f" {key}" if value is True else f' {key}="{_html(value)}"'
        for key, value in attrs.items()
        if value is not None and value is not False
    )


class TextColumn(Column):
    """A plain cell, written without a template: the same markup as Wagtail's cell.html, for 50 rows x 6 columns."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if value is None or not str(value).strip():
            value = self.empty_value_display
        if self.classname:
            return SafeString(f'<td class="{_html(self.classname)}">{_html(value)}</td>')
        return SafeString(f"<td>{_html(value)}</td>")


class ReferenceColumn(TitleColumn):
    """The title cell (reference, linked; the row's buttons) in the markup of Wagtail's title_cell.html, written
    without that template and its buttons include; each button still renders as its own component."""

    def render_cell_html(self, instance, parent_context):
        context = self.get_cell_context_data(instance, parent_context)
        title = _html(context["value"])
        if context.get("title_id"):
            title = f'<span id="{_html(context["title_id"])}">{title}</span>'
        if context.get("link_url"):
            title = f"<a{_attrs(context['link_attrs'])}>{title}</a>"
        buttons = [button for button in context.get("buttons", ()) if button.show]
        actions = ""
        if buttons:
            items = "".join(f"<li>{_html(button.render_html(parent_context))}</li>" for button in buttons)
            actions = f'<ul class="actions">{items}</ul>'
        classname = f"{self.classname} title" if self.classname else "title"
        return SafeString(f'<td class="{_html(classname)}"><div class="title-wrapper">{title}</div>{actions}</td>')


class StatusColumn(TextColumn):
    """Status, with "overdue" said in words (not only colour)."""

    def get_value(self, instance):
        label = STATUS_LABELS.get(instance.status, instance.status)
        return f"{label} — overdue" if instance.is_overdue else label


class DueColumn(TextColumn):
    """The due date as a date ("5 Feb 2024"), not Wagtail's "2 years ago": it is compared with today's work."""

    def render_cell_html(self, instance, parent_context):
        due = instance.due_on
        if due is None:
            return SafeString("<td></td>")
        return SafeString(f'<td><time datetime="{due.isoformat()}">{_html(date_format(due, "j M Y"))}</time></td>')


class ActionTable(Table):
    """Wagtail's tables/table.html, with the body written here: 50 rows x 7 cells without 400 template tags.

    Headers still render through their templates (sorting links); every cell through its column's
    render_cell_html, with the same context the template's {% component cell %} gives it.
    """

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context or {})
        parts = [format_html("<table{}>", flatatt(self.attrs))]
        caption = self.get_caption()
        if caption:
            parts.append(format_html('<caption class="w-sr-only">{}</caption>', caption))
        if self.has_column_widths():
            parts.extend(
                format_html("<col{} />", flatatt({"width": c.width} if c.width else {})) for c in self.columns.values()
            )
        header_attrs = flatatt({"class": self.header_row_classname} if self.header_row_classname else {})
        parts.append(format_html("<thead><tr{}>", header_attrs))
        parts.extend(column.header.render_html(context) for column in self.columns.values())
        parts.append("</tr></thead><tbody>")
        columns = list(self.columns.values())
        for index, instance in enumerate(self.data):
            row = Table.Row(self, instance, index)
            context["row"] = row  # as the template's {% for row in table.rows %} gives each cell
            parts.append(f"<tr{_attrs(row.attrs)}>")
            parts.extend(column.render_cell_html(instance, context) for column in columns)
            parts.append("</tr>")
        parts.append("</tbody></table>")
        return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every part is escaped above


def status_url(action):
    return reverse("boards_action_status", args=[action.pk])


_STAND_IN = 987654321


def url_pattern(name):
    """reverse(name, args=[pk]) for many pks: reversed once, then formatted (a listing asks for 100 a page)."""
    # reverse() percent-encodes any brace in a script prefix, so the only "{}" is the one put here.
    return reverse(name, args=[_STAND_IN]).replace(str(_STAND_IN), "{}")


class StatusButton(ListingButton):
    """Each agency row's "Update status": Wagtail's button.html markup written directly (50 template renders less)."""

    def __init__(self, url):
        super().__init__("Update status", url=url, icon_name="tasks")

    def render_html(self, parent_context=None):
        icon = _html(self.icon_name)
        return SafeString(
            f'<a href="{_html(self.url)}" class="{_html(self.classname)}"{_attrs(self.attrs)}>'
            f'<svg class="icon icon-{icon} icon" aria-hidden="true"><use href="#icon-{icon}"></use>'
            f"</svg> {_html(self.label)} </a>"  # the spaces the template's line breaks leave
        )
