"""/api/ — docs/api.md, plus the OpenAPI schema (/api/schema/) and its browsable UI (/api/docs/)."""
from django.contrib.auth.decorators import login_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated

from . import embed, redrive, schedules, task_tokens, testruns, views

urlpatterns = [
    path("task-handlers/", views.TaskHandlersView.as_view(), name="api-task-handlers"),
    path("validate/", views.ValidateView.as_view(), name="api-validate"),
    path("state-machines/", views.StateMachineListView.as_view(), name="api-state-machines"),
    path("state-machines/<str:name>/", views.StateMachineDetailView.as_view(),
         name="api-state-machine"),
    path("state-machines/<str:name>/validate/", views.StateMachineValidateView.as_view(),
         name="api-state-machine-validate"),
    # Test cases (engine/api/testruns.py, docs/testing.md).
    path("state-machines/<str:name>/test-cases/", testruns.TestCasesView.as_view(),
         name="api-test-cases"),
    path("state-machines/<str:name>/test-cases/run/", testruns.TestCasesRunView.as_view(),
         name="api-test-cases-run"),
    path("test-runs/", testruns.AdHocRunView.as_view(), name="api-test-runs"),
    path("state-machines/<str:name>/versions/", views.VersionListView.as_view(),
         name="api-versions"),
    path("state-machines/<str:name>/versions/<str:version>/", views.VersionDetailView.as_view(),
         name="api-version"),
    path("state-machines/<str:name>/executions/", views.StartExecutionView.as_view(),
         name="api-start-execution"),
    path("executions/", views.ExecutionListView.as_view(), name="api-executions"),
    path("executions/<str:id>/", views.ExecutionDetailView.as_view(), name="api-execution"),
    path("executions/<str:id>/stop/", views.StopExecutionView.as_view(), name="api-stop"),
    path("executions/<str:id>/redrive/", views.RedriveExecutionView.as_view(),
         name="api-redrive"),
    path("executions/<str:id>/redrive-with-definition/",
         redrive.RedriveWithDefinitionView.as_view(), name="api-redrive-with-definition"),
    path("executions/<str:id>/definition/", embed.ExecutionDefinitionView.as_view(),
         name="api-execution-definition"),
    path("executions/<str:id>/history/", views.HistoryView.as_view(), name="api-history"),
    path("executions/<str:id>/task-tokens/", task_tokens.TaskTokenListView.as_view(),
         name="api-execution-task-tokens"),
    path("task-tokens/success/", views.TaskSuccessView.as_view(), name="api-task-success"),
    path("task-tokens/failure/", views.TaskFailureView.as_view(), name="api-task-failure"),
    path("task-tokens/heartbeat/", views.TaskHeartbeatView.as_view(),
         name="api-task-heartbeat"),
    path("activities/", views.ActivityListView.as_view(), name="api-activities"),
    path("activities/<str:name>/", views.ActivityDetailView.as_view(), name="api-activity"),
    # Schedules and status-change webhooks (engine/api/schedules.py).
    path("schedules/", schedules.ScheduleListView.as_view(), name="api-schedules"),
    path("schedules/<str:name>/", schedules.ScheduleDetailView.as_view(), name="api-schedule"),
    path("schedules/<str:name>/pause/", schedules.SchedulePauseView.as_view(),
         name="api-schedule-pause"),
    path("schedules/<str:name>/resume/", schedules.ScheduleResumeView.as_view(),
         name="api-schedule-resume"),
    path("schedules/<str:name>/executions/", schedules.ScheduleFiringsView.as_view(),
         name="api-schedule-executions"),
    path("webhooks/", schedules.WebhookListView.as_view(), name="api-webhooks"),
    path("webhooks/<str:name>/", schedules.WebhookDetailView.as_view(), name="api-webhook"),
    path("webhooks/<str:name>/roll-secret/", schedules.WebhookRollSecretView.as_view(),
         name="api-webhook-roll-secret"),
    path("webhooks/<str:name>/deliveries/", schedules.WebhookDeliveriesView.as_view(),
         name="api-webhook-deliveries"),
    path("webhooks/<str:name>/deliveries/<str:delivery_id>/redeliver/",
         schedules.WebhookRedeliverView.as_view(), name="api-webhook-redeliver"),
    # Like every other URL, the schema and its UI are for logged-in users only (the schema
    # answers 401/403 JSON as the API does; the UI, a page, redirects to the login page).
    path("schema/", views.SchemaView.as_view(), name="api-schema"),
    # (DRF views opt out of LoginRequiredMiddleware: login_required redirects explicitly.)
    path("docs/", login_required(SpectacularSwaggerView.as_view(
        url_name="api-schema", permission_classes=[IsAuthenticated])), name="api-docs"),
    # Last: any other /api/ path is a 404 in the API's JSON error shape, not an HTML page.
    re_path(r"^.*$", views.not_found, name="api-not-found"),
]
