"""Filters of the state machines home page (engine/templates/machines/)."""
from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()

STATUS_LABELS = {"RUNNING": "Running", "SUCCEEDED": "Succeeded", "FAILED": "Failed",
                 "TIMED_OUT": "Timed out", "ABORTED": "Aborted"}


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


# A shape per status, so the counts read without telling colours apart.
STATUS_ICONS = {"RUNNING": "●", "SUCCEEDED": "✓", "FAILED": "✕", "TIMED_OUT": "◷",
                "ABORTED": "■"}


@register.filter
def status_icon(status: str) -> str:
    return STATUS_ICONS.get(status, "•")


@register.filter
def is_user(user_id, user) -> bool:
    return user is not None and user_id == getattr(user, "pk", None)


def ago_text(moment: datetime, now: datetime) -> str:
    """A short relative time: "just now", "5 min ago", "3 h ago", "yesterday", "12 days ago",
    then the date."""
    seconds = (now - moment).total_seconds()
    if seconds < 0:
        return "just now" if seconds > -60 else timezone.localtime(moment).strftime("%Y-%m-%d")
    if seconds < 45:
        return "just now"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{max(1, minutes)} min ago"
    hours = round(seconds / 3600)
    if hours < 24:
        return f"{hours} h ago"
    days = int(seconds // 86400)
    if days < 2:
        return "yesterday"
    if days < 30:
        return f"{days} days ago"
    return timezone.localtime(moment).strftime("%Y-%m-%d")


@register.filter
def ago(moment) -> str:
    if not moment:
        return ""
    return ago_text(moment, timezone.now())
