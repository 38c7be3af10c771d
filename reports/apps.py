from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Top layer: the governors' report, the census return and the LA notification, read across apps."""

    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        import reports.permissions  # noqa: F401  (rules for /reports/)
        from reports.exports import register_reporting_exports

        register_reporting_exports()
