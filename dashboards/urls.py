from django.urls import path

from dashboards import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/charts/", views.dashboard_charts, name="dashboard_charts"),
]
