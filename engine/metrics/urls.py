from django.urls import path

from . import pages, views

urlpatterns = [
    path("metrics", views.metrics, name="metrics"),
    path("monitoring/", pages.monitoring_all, name="monitoring"),
    path("monitoring/<int:machine_id>/", pages.monitoring_machine, name="monitoring-machine"),
]
