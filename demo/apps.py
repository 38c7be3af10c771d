from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Top layer: the commands that fill a database with fictional schools (seed_demo) or bench data."""

    name = "demo"
    verbose_name = "Demo data"
