"""Websocket URLs of the engine (joined with stepstudio.routing in stepstudio/asgi.py)."""
from django.urls import path

from engine.consumers import ExecutionConsumer, ExecutionListConsumer

websocket_urlpatterns = [
    path("ws/executions/", ExecutionListConsumer.as_asgi()),
    path("ws/executions/<uuid:execution_id>/", ExecutionConsumer.as_asgi()),
]
