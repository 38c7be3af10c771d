from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Top layer: each role's home page, reading every app through its selectors."""

    name = "dashboards"
    verbose_name = "Dashboards"
