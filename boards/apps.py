from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Boards"

    def ready(self):
        from boards import media  # noqa: F401  (its system check keeps private storage out of served folders)

        from . import grants, page_files, publishing, roles, sessions, signals  # noqa: F401

        post_migrate.connect(roles.on_post_migrate, sender=self)
        # Guardian grants follow the data on every save path (boards.grants).
        grants.connect()
        from wagtail.signals import pre_page_move

        from .models.minutes import MinutesPage, refuse_moving_minutes

        pre_page_move.connect(refuse_moving_minutes, sender=MinutesPage, dispatch_uid="boards_refuse_moving_minutes")
