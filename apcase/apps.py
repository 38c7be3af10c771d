from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ApcaseConfig(AppConfig):
    name = "apcase"
    verbose_name = "Schools and people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.utils.module_loading import autodiscover_modules

        # Every app keeps its rules in permissions.py (docs/architecture.md); rules itself only looks for rules.py.
        autodiscover_modules("permissions")

        from apcase.middleware import stamp_sign_in

        user_logged_in.connect(stamp_sign_in, dispatch_uid="apcase_stamp_sign_in")


class ApcaseAdminConfig(AdminConfig):
    default_site = "apcase.admin_site.ApcaseAdminSite"
