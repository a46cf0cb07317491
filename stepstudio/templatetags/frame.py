"""Template helpers of the app's frame (templates/frame/): which top-bar section is current."""
from django import template

register = template.Library()

# First match wins: path prefix → top-bar section.
SECTIONS = [
    ("/state-machines/", "machines"),
    ("/designer/", "machines"),
    ("/executions/", "executions"),
    ("/schedules/", "schedules"),
    ("/webhooks/", "webhooks"),
    ("/monitoring/", "monitoring"),
    ("/api/", "api"),
    ("/admin/", "admin"),
    ("/accounts/", "account"),
]


@register.simple_tag(takes_context=True)
def nav_section(context) -> str:
    """The section the current page belongs to ("" when unknown, e.g. on the 500 page)."""
    request = context.get("request")
    if request is None:
        return ""
    if request.path == "/":
        return "machines"
    return next((name for prefix, name in SECTIONS if request.path.startswith(prefix)), "")
