from django.urls import path

from oversight import views

app_name = "oversight"

urlpatterns = [
    path("trust/", views.trust_page, name="trust"),
    path("trust/report/", views.trust_report, name="trust_report"),
    path("trust/report.pdf", views.trust_report_pdf, name="trust_report_pdf"),
    path("la/", views.la_page, name="la"),
    path("la/notifications/", views.la_notifications, name="la_notifications"),
    path("la/providers/", views.la_providers, name="la_providers"),
    path("la/providers/<uuid:public_id>/", views.la_provider, name="la_provider"),
    path("la/providers/<uuid:public_id>/visits/new/", views.la_visit_new, name="la_visit_new"),
    path("la/notifications/<uuid:public_id>.pdf", views.la_notification_letter, name="la_notification_letter"),
    path(
        "la/notifications/<uuid:public_id>/acknowledge/",
        views.la_notification_acknowledge_page,
        name="la_notification_acknowledge",
    ),
]
