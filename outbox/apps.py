from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Outbox: letters and messages that leave the school"

    def ready(self) -> None:
        from outbox.records import register_outbox_record_types

        register_outbox_record_types()
