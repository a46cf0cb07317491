"""Filters of the monitoring pages: durations and rates as a person reads them."""
from django import template

register = template.Library()


@register.filter
def duration_ms(value) -> str:
    if value is None:
        return "—"
    ms = float(value)
    if ms < 1000:
        return f"{ms:.0f} ms"
    if ms < 60_000:
        return f"{ms / 1000:.2f} s"
    if ms < 3_600_000:
        return f"{ms / 60_000:.1f} min"
    return f"{ms / 3_600_000:.1f} h"


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"
