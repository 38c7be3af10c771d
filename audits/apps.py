from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Providers and audits"

    def ready(self) -> None:
        from audits.exports import register_audits_exports

        register_audits_exports()
