"""The access-keys page: list, create (secret shown once), revoke."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import keys
from .models import AccessKey


@login_required
@never_cache  # the page shows a new secret once: no browser or proxy may keep a copy
@require_http_methods(["GET", "POST"])
def key_list(request):
    new_key = None
    if request.method == "POST":
        description = request.POST.get("description", "").strip()[:200]
        key_id, secret = keys.create_access_key(request.user, description)
        # Rendered, not redirected: the secret must not travel through a session or URL.
        new_key = {"key_id": key_id, "secret": secret}
    access_keys = AccessKey.objects.filter(user=request.user)
    endpoint_url = request.build_absolute_uri("/").rstrip("/")
    return render(request, "accounts/keys.html", {
        "access_keys": access_keys,
        "new_key": new_key,
        "endpoint_url": endpoint_url,
        "snippet": boto3_snippet(endpoint_url, new_key),
    })


def boto3_snippet(endpoint_url: str, new_key: dict | None) -> str:
    """The README's boto3 client, for this server (and the new key, when one was just made)."""
    key_id = new_key["key_id"] if new_key else "SS…"
    secret = new_key["secret"] if new_key else "…"
    return (
        "import boto3\n"
        "from botocore.config import Config\n\n"
        "sfn = boto3.client(\n"
        '    "stepfunctions",\n'
        f'    endpoint_url="{endpoint_url}",\n'
        '    region_name="us-east-1",\n'
        f'    aws_access_key_id="{key_id}",\n'
        f'    aws_secret_access_key="{secret}",\n'
        "    config=Config(inject_host_prefix=False),"
        "  # StartSyncExecution's \"sync-\" host prefix\n"
        ")\n"
        'print([m["name"] for m in sfn.list_state_machines()["stateMachines"]])\n'
    )


@login_required
@require_POST
def key_revoke(request, key_id):
    if keys.revoke_access_key(request.user, key_id):
        messages.success(request, f"Access key {key_id} revoked.")
    else:
        messages.error(request, f"No active access key {key_id}.")
    return redirect("accounts:keys")
