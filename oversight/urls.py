from django.urls import path

from oversight import views

app_name = "oversight"

urlpatterns = [
    path("trust/", views.trust_page, name="trust"),
]
