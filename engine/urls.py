"""Engine URLs, included at the server root by stepstudio/urls.py.

`POST /` is the AWS Step Functions wire protocol (AWS SDKs only know the endpoint URL);
`/api/` the REST API of docs/api.md; `/accounts/keys/` the access keys the SDKs sign with;
`/executions/` the live view; `/state-machines/` the home page's list (also at `/`).
"""
from django.urls import include, path

from engine.awsproto.view import aws_endpoint

urlpatterns = [
    path("", aws_endpoint, name="aws-endpoint"),
    path("api/", include("engine.api.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("engine.live.urls")),
    path("", include("engine.machines.urls")),
    path("", include("engine.schedules.urls")),  # /schedules/, /webhooks/
    path("", include("engine.metrics.urls")),  # /metrics, /monitoring/
]
