"""ASGI entry point: HTTP goes to Django, websockets to the consumers (session-authenticated)."""

import gc
import os
import sys

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepstudio.settings")
# Initialise Django before importing anything that touches models (consumers, routing).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from django.conf import settings  # noqa: E402

import engine.routing  # noqa: E402
import stepstudio.routing  # noqa: E402
from stepstudio.http.body_limit import BodyLimitMiddleware  # noqa: E402

if "daphne.server" in sys.modules:
    # Served by daphne: bound request bodies while Twisted receives them, not only here.
    from stepstudio.http import daphne_guard

    daphne_guard.install(settings.MAX_REQUEST_BODY_BYTES)

application = ProtocolTypeRouter({
    "http": BodyLimitMiddleware(django_asgi_app),
    "websocket": AllowedHostsOriginValidator(
        AuthMiddlewareStack(
            URLRouter(engine.routing.websocket_urlpatterns + stepstudio.routing.websocket_urlpatterns)
        )
    ),
})


def _settle_heap() -> None:
    """Load now what the first requests would load, then hide it all from the collector.

    Everything loaded at start (Django, the apps, Twisted, channels) lives as long as the
    process. Left in the collector's generations, a full collection walked ~140,000 objects
    every couple of seconds under websocket traffic, stalling the event loop 60-220 ms each
    time (measured in daphne: most of the live view's p99 with 50 sockets). Frozen, a full
    collection walks what requests create: ~0.1 ms. Loaded first: the database backend (its
    driver), the channel layer (redis-py), every view module (URL patterns). Nothing connects.
    """
    from channels.layers import get_channel_layer
    from django.db import connections
    from django.urls import get_resolver

    for alias in connections:
        connections[alias]  # imports the backend module; connects lazily
    get_channel_layer()
    len(get_resolver().url_patterns)  # imports the views
    gc.collect()
    gc.freeze()


_settle_heap()
