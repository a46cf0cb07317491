"""Small HTML pieces for the admin pages: badges, links, pretty JSON.

Everything that can hold user text (names, errors, payloads) goes through format_html, so
it is escaped; nothing here uses mark_safe on data.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from engine.live.views import duration_text

# Shown for an empty value, like the admin's own empty_value_display.
EMPTY = "–"


def badge(value: str, kind: str = "status"):
    """A coloured pill; the colour comes from the CSS class ss-<kind>-<value>."""
    if not value:
        return EMPTY
    return format_html('<span class="ss-badge ss-{}-{}">{}</span>', kind, value.lower(), value)


def duration(start, stop) -> str:
    # A running execution's duration grows until it stops (duration_text uses now()).
    return duration_text(start, stop) if start else EMPTY


def when(value) -> str:
    """A timestamp as 2026-11-24 08:01:02 in the current time zone (the stock format spells
    the month and a.m. out, twice as wide in a list column)."""
    if value is None:
        return EMPTY
    return date_format(timezone.localtime(value), "Y-m-d H:i:s")


def stop_time(start, stop) -> str:
    """The stop time under a start time: only the clock when on the same day."""
    if stop is None:
        return "not stopped"
    if start and timezone.localtime(start).date() == timezone.localtime(stop).date():
        return "→ " + date_format(timezone.localtime(stop), "H:i:s")
    return "→ " + when(stop)


def elapsed(start, at) -> str:
    """Time since the execution started, as +1.234 s (the history table's second clock)."""
    if start is None or at is None:
        return ""
    return f"+{max(0.0, (at - start).total_seconds()):.3f} s"


def admin_link(obj, text=None):
    """Link to `obj`'s admin change page."""
    if obj is None:
        return EMPTY
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text if text is not None else str(obj))


def changelist_link(model, text, **params):
    """Link to `model`'s change list filtered by `params` (already allowed lookups)."""
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(params), text)


def live_link(execution_id, text="live view"):
    return format_html('<a class="ss-live" href="{}">{}</a>',
                       reverse("execution", args=[execution_id]), text)


def designer_link(machine, user, text="designer"):
    """The designer opens a name in the viewer's own namespace (it loads through the API),
    so someone else's machine gets no link rather than a link to the wrong (or no) machine."""
    if machine.owner_id != user.pk:
        return EMPTY
    return format_html('<a href="{}">{}</a>', reverse("designer-edit", args=[machine.name]), text)


def json_text(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False)


def pretty_json(value):
    if value is None:
        return EMPTY
    return format_html('<pre class="ss-json">{}</pre>', json_text(value))
