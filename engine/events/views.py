"""The Webhooks pages: /webhooks/ (list and create) and /webhooks/<id>/ (edit, delete,
roll the secret, and the delivery log with status codes and "redeliver").

A new or rolled secret is shown once, on the page that answers the POST (never stored in
the session or shown again); the page is not cached. Webhooks are their owner's only.
"""
from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from engine.models import ExecutionStatus, StateMachine, Webhook, WebhookAttempt
from engine.schedules.errors import ScheduleError

from . import delivery as event_delivery, webhooks


def _form(post) -> tuple[dict, dict]:
    values = {"name": post.get("name", "").strip(), "url": post.get("url", "").strip(),
              "enabled": post.get("enabled") == "on",
              "statuses": post.getlist("statuses"),
              "state_machines": post.getlist("state_machines")}
    return values, dict(values)


def _context(request, raw, error=None, webhook=None, secret=None) -> dict:
    machines = StateMachine.objects.filter(owner=request.user).order_by("name")
    return {"raw": raw, "error": error, "webhook": webhook, "secret": secret,
            "all_statuses": ExecutionStatus.values,
            "machines": list(machines.values_list("name", flat=True))}


@never_cache
@login_required
def webhook_list(request):
    raw, error, secret, status = {"enabled": True, "statuses": [], "state_machines": []}, \
        None, None, 200
    created = None
    if request.method == "POST":
        values, raw = _form(request.POST)
        try:
            created = webhooks.save(request.user, values)
            secret = created.secret
            raw = {"enabled": True, "statuses": [], "state_machines": []}
        except ScheduleError as exc:
            error, status = exc, 400
    hooks = Webhook.objects.filter(owner=request.user).prefetch_related(
        "state_machines").order_by("name")
    context = _context(request, raw, error, created, secret)
    context["hooks"] = hooks
    return render(request, "webhooks/list.html", context, status=status)


@never_cache
@login_required
def webhook_detail(request, webhook_id):
    hook = Webhook.objects.filter(owner=request.user, id=webhook_id).first()
    if hook is None:
        raise Http404("No such webhook")
    raw = {"name": hook.name, "url": hook.url, "enabled": hook.enabled,
           "statuses": hook.statuses,
           "state_machines": list(hook.state_machines.values_list("name", flat=True))}
    error, secret, status = None, None, 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "delete":
            hook.delete()
            messages.success(request, f"Webhook {hook.name} deleted.")
            return redirect("webhooks")
        if action == "roll":
            secret = webhooks.roll_secret(hook).secret
        elif action == "redeliver":
            found = hook.deliveries.filter(id=request.POST.get("delivery", "0")).first() \
                if request.POST.get("delivery", "").isdigit() else None
            if found is None:
                raise Http404("No such delivery")
            event_delivery.redeliver(found)
            messages.success(request, f"Delivery {found.id} will be sent again.")
            return redirect("webhook", hook.id)
        else:
            values, raw = _form(request.POST)
            try:
                webhooks.save(request.user, values, hook)
                messages.success(request, f"Webhook {values['name']} saved.")
                return redirect("webhook", hook.id)
            except ScheduleError as exc:
                error, status = exc, 400
    newest_first = Prefetch("attempt_rows", WebhookAttempt.objects.order_by("-number"))
    deliveries = (hook.deliveries.select_related("event").prefetch_related(newest_first)
                  .order_by("-created")[:100])
    context = _context(request, raw, error, hook, secret)
    context["deliveries"] = deliveries
    return render(request, "webhooks/detail.html", context, status=status)
