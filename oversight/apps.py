from django.apps import AppConfig


class OversightConfig(AppConfig):
    """Above the top layer: the trust's and the local authority's views across schools, which read
    the reports and every app below; nothing imports it (docs/oversight.md)."""

    name = "oversight"
    verbose_name = "Trust and local authority oversight"
