"""The school's side of the portal: a provider's portal access, from the provider's page."""

from django.urls import path

from provider_portal import views

app_name = "portal_access"

urlpatterns = [
    path("<uuid:public_id>/portal-access/", views.staff_page, name="staff"),
    path("<uuid:public_id>/portal-access/<uuid:staff_id>/<slug:action>/", views.staff_action, name="staff_action"),
]
