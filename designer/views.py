"""The designer pages: a shell that loads the built front end (static/designer/).

The page itself holds no state-machine data; the app fetches the definition through
the REST API (docs/api.md), so the page only passes the name and the CSRF token.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import render

from engine.api import permissions


def _render(request, name: str | None):
    config = {"name": name, "csrfToken": get_token(request), "apiBase": ""}
    return render(request, "designer/designer.html", {"name": name, "config": config})


@login_required
def designer_new(request):
    """/designer/: an empty canvas for a new state machine."""
    return _render(request, None)


@login_required
def designer_edit(request, name: str):
    """/designer/<name>/: an existing state machine (loaded by the app through the API).

    A name the user has no state machine by is the app's 404 page, not an editor that would
    fail to load (the API addresses machines in the user's own namespace, staff included).
    """
    # (No name holds U+0000, which PostgreSQL refuses as a parameter.)
    if "\x00" in name or not permissions.state_machines(request.user).filter(
            name=name).exists():
        raise Http404(f"You have no state machine named “{name}”.")
    return _render(request, name)
