from django.urls import path

from . import views

urlpatterns = [
    path("executions/", views.execution_list, name="executions"),
    path("executions/feed/", views.execution_list_feed, name="executions-feed"),
    path("executions/<uuid:execution_id>/", views.execution_detail, name="execution"),
    path("executions/<uuid:execution_id>/feed/", views.execution_feed, name="execution-feed"),
]
