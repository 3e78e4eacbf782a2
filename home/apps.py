from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"

    def ready(self):
        from boards.bundle import site_root  # local: boards' models load only once the app registry is ready

        # An import into an empty database puts the boards index under a HomePage (boards never imports home).
        site_root.register(self.get_model("HomePage"), title="Partnership records")
