"""What the models call and the layers above them provide: page routes, permission questions, the minutes editor's
actions panel. register() fills boards.models.delegates in BoardsConfig.ready(); the URLs stay the pages' own.
"""

from boards import permissions
from boards.actions.panels import MeetingActionsPanel
from boards.actions.public_log import public_action_log
from boards.models import MinutesPage, delegates
from boards.publishing import calendars, feeds
from boards.publishing.pdf import serve


def register():
    delegates.minutes_rss.register(feeds.board_minutes_rss)
    delegates.minutes_atom.register(feeds.board_minutes_atom)
    delegates.board_calendar.register(calendars.board_calendar)
    delegates.public_action_log.register(public_action_log)
    delegates.agenda_pdf.register(serve.serve_agenda_pdf)
    delegates.minutes_pdf.register(serve.serve_minutes_pdf)

    delegates.can_view_restricted.register(permissions.can_view_restricted)
    delegates.can_approve_minutes.register(permissions.can_approve_minutes)
    delegates.boards_user_chairs_paths.register(permissions.boards_user_chairs_paths)
    delegates.can_see_agenda.register(permissions.can_see_agenda)
    delegates.public_minutes.register(permissions.public_minutes)
    delegates.minutes_are_servable.register(permissions.minutes_are_servable)
    delegates.minutes_in_sitemap.register(permissions.minutes_in_sitemap)
    delegates.view_restrictions_of.register(permissions.view_restrictions_of)
    delegates.minutes_permission_tester.register(permissions.MinutesPermissionTester)

    # The meeting's actions ("Add action" prefilled) and open actions carried forward, last in the minutes editor.
    if not any(isinstance(panel, MeetingActionsPanel) for panel in MinutesPage.content_panels):
        MinutesPage.content_panels = [*MinutesPage.content_panels, MeetingActionsPanel(heading="Actions")]
