from django.contrib import admin
from django.urls import include, path

from apcase import views

urlpatterns = [
    path("", include("dashboards.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/two-factor/", views.two_factor_status, name="two_factor_status"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("account/", views.account, name="account"),
    path("schools/switch/", views.school_switch, name="school_switch"),
    path("school/settings/", views.school_settings, name="school_settings"),
    path("people/", views.people_list, name="people"),
    path("people/<uuid:public_id>/", views.people_person, name="people_person"),
    path("people/<uuid:public_id>/password-reset/", views.people_password_reset, name="people_password_reset"),
    path("people/<uuid:public_id>/two-factor-reset/", views.people_two_factor_reset, name="people_two_factor_reset"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notification_read_all, name="notifications_read_all"),
    path("notifications/<uuid:public_id>/open/", views.notification_open, name="notification_open"),
    path("exports/<uuid:public_id>/", views.export_status, name="export_status"),
    path("exports/<uuid:public_id>/download/", views.export_download, name="export_download"),
    path("exports/<slug:kind>/", views.export_start, name="export_start"),
    path("", include("pupils.urls")),
    path("", include("audits.urls")),
    path("", include("placements.urls")),
    path("", include("reviews.urls")),
    path("provider/", include("provider_portal.urls")),
    path("providers/", include("provider_portal.school_urls")),
    path("outbox/", include("outbox.urls")),
    path("reports/", include("reports.urls")),
    path("", include("oversight.urls")),
    path("admin/", admin.site.urls),
]

# The 403 page gives advice that fits the user's role (apcase.views.access_advice).
handler403 = "apcase.views.permission_denied"
