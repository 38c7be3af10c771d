from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Top layer: what falls due in every app, derived into Reminder rows and sent exactly once."""

    name = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        import reminders.sources  # noqa: F401  (the sources add themselves to reminders.specs.SOURCES)
