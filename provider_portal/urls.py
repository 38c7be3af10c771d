from django.urls import path

from provider_portal import views

app_name = "provider_portal"

urlpatterns = [
    path("", views.register, name="register"),
    path("pupils/", views.pupils, name="pupils"),
    path("pupils/<uuid:public_id>/", views.placement, name="placement"),
    path("pupils/<uuid:public_id>/incident/", views.incident_new, name="incident_new"),
    path("pupils/<uuid:public_id>/progress/", views.progress, name="progress"),
    path("reviews/<uuid:public_id>/report/", views.review_report, name="review_report"),
    path("handovers/<uuid:public_id>/acknowledge/", views.acknowledge_handover, name="acknowledge_handover"),
    path("signing/", views.signing, name="signing"),
    path("signing/<uuid:public_id>/kcsie/", views.sign_kcsie, name="sign_kcsie"),
    path("invitation/<str:token>/", views.accept, name="accept"),
]
