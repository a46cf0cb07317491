"""The home page, and the one URL it shares with the AWS wire protocol."""

from django.contrib.auth.decorators import login_not_required, login_required
from django.http import HttpResponseNotAllowed
from django.urls import Resolver404, URLResolver
from django.urls.resolvers import RegexPattern
from django.views.decorators.csrf import csrf_exempt

from engine.machines.views import machine_list


@login_required
def home(request):
    # The home page is the state machines list (engine/machines).
    return machine_list(request)


@csrf_exempt
@login_not_required
def root(request):
    """GET / is the home page; any other method goes to what engine.urls routes at "".

    AWS SDKs POST every Step Functions call to "/" (X-Amz-Target names the action) and a URL
    pattern cannot choose by method, so this view splits the two. The AWS view authenticates
    (SigV4) and is CSRF-exempt itself, which is why this wrapper may be both; the home page
    keeps its own login_required, and GET carries no CSRF check anyway.
    """
    if request.method in ("GET", "HEAD"):
        return home(request)
    match = _engine_root_match()
    if match is None:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return match.func(request, *match.args, **match.kwargs)


def _engine_root_match():
    resolver = URLResolver(RegexPattern(r"^/"), "engine.urls")
    try:
        return resolver.resolve("/")
    except Resolver404:
        return None


