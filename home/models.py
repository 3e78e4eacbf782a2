"""The home page: boards, next meetings and recent records."""

from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from boards.models import BoardPage, MeetingPage
from home.routing import route


class HomePage(Page):
    """The site's front page."""

    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["boards.BoardIndexPage"]
    max_count = 1

    def __str__(self):
        return self.title

    def route(self, request, path_components):
        # The whole chain of pages in one query instead of two per level (home/routing.py).
        if not path_components:
            return super().route(request, path_components)
        return route(self, request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        meetings = MeetingPage.objects.live().public().descendant_of(self)
        context["boards"] = BoardPage.objects.live().public().descendant_of(self).order_by("title")
        context["next_meetings"] = meetings.filter(starts_at__gte=now).order_by("starts_at")[:5]
        # Most recently published agendas; minutes join this list once they publish.
        context["recent_agendas"] = meetings.filter(agenda_published_at__lte=now).order_by("-agenda_published_at")[:5]
        return context
