from django.apps import AppConfig


class ProviderPortalConfig(AppConfig):
    name = "provider_portal"
    verbose_name = "Provider portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from provider_portal import attention, signals

        attention.register()
        user_logged_in.connect(signals.log_sign_in, dispatch_uid="provider_portal_sign_in")
        user_logged_out.connect(signals.log_sign_out, dispatch_uid="provider_portal_sign_out")
