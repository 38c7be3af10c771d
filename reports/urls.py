from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("governors/", views.governors_report_page, name="governors"),
    path("census/", views.census_page, name="census"),
    path("la-notification/<uuid:public_id>.pdf", views.la_notification_download, name="la_notification"),
]
