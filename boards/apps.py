from django.apps import AppConfig

from boards import media  # noqa: F401  (its system check keeps private storage out of served folders)


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Boards"

    def ready(self):
        from . import registrations, signal_handlers  # local: they import models, not loaded when apps.py is imported

        registrations.register()
        signal_handlers.connect(self)
