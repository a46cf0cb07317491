"""GET /metrics: the Prometheus exposition, for a scraper's bearer token or a staff session.

No token and no session: 401 with `WWW-Authenticate: Bearer` (what a scraper's config
should answer); a wrong token 401 too; a signed-in user who is not staff 403. The token is
compared in constant time; with STEPSTUDIO_METRICS_TOKEN unset only staff sessions read it.
"""
from __future__ import annotations

import hmac

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import generate_latest
from prometheus_client.registry import CollectorRegistry

from . import config

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
from .collector import RowsCollector


def _refused(status: int, why: str) -> HttpResponse:
    response = HttpResponse(f"{why}\n", status=status, content_type="text/plain")
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response


@login_not_required  # scrapers have a token, not a session; checked below
@require_GET
def metrics(request):
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, given = header.partition(" ")
        expected = config.token()
        if scheme.lower() != "bearer" or not expected or not hmac.compare_digest(
                given.strip().encode(), expected.encode()):
            return _refused(401, "metrics: the bearer token is not valid")
    elif not request.user.is_authenticated:
        return _refused(401, "metrics: a bearer token or a staff session is required")
    elif not request.user.is_staff:
        return _refused(403, "metrics: only staff may read the metrics")
    registry = CollectorRegistry(auto_describe=False)
    registry.register(RowsCollector())
    # The classic text format (what generate_latest writes), under the content type every
    # Prometheus version parses.
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE)
