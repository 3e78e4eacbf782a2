"""Page behaviour that lives above the models: the views behind page routes and the permission questions pages ask.

The models call these slots; boards.registrations fills them in BoardsConfig.ready(), so no model imports upwards.
"""

from django.core.exceptions import ImproperlyConfigured


class Delegate:
    """One named piece of behaviour a page calls and a higher module provides."""

    def __init__(self, name):
        self.name = name
        self.func = None

    def register(self, func):
        self.func = func
        return func

    def __call__(self, *args, **kwargs):
        if self.func is None:
            raise ImproperlyConfigured(f"boards.models.delegates.{self.name} is not registered (BoardsConfig.ready).")
        return self.func(*args, **kwargs)


# Views of page routes, each (request, page, **kwargs) -> response.
minutes_rss = Delegate("minutes_rss")
minutes_atom = Delegate("minutes_atom")
board_calendar = Delegate("board_calendar")
public_action_log = Delegate("public_action_log")
agenda_pdf = Delegate("agenda_pdf")
minutes_pdf = Delegate("minutes_pdf")

# Questions boards.permissions answers.
can_view_restricted = Delegate("can_view_restricted")
can_approve_minutes = Delegate("can_approve_minutes")
boards_user_chairs_paths = Delegate("boards_user_chairs_paths")
can_see_agenda = Delegate("can_see_agenda")
public_minutes = Delegate("public_minutes")
minutes_are_servable = Delegate("minutes_are_servable")
minutes_in_sitemap = Delegate("minutes_in_sitemap")
view_restrictions_of = Delegate("view_restrictions_of")
# (user, minutes) -> the page permission tester of the minutes (boards.permissions.MinutesPermissionTester).
minutes_permission_tester = Delegate("minutes_permission_tester")
