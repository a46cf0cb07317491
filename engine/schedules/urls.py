from django.urls import path

from engine.events import views as webhook_views

from . import views

urlpatterns = [
    path("schedules/", views.schedule_list, name="schedules"),
    path("schedules/<int:schedule_id>/", views.schedule_detail, name="schedule"),
    path("webhooks/", webhook_views.webhook_list, name="webhooks"),
    path("webhooks/<int:webhook_id>/", webhook_views.webhook_detail, name="webhook"),
]
