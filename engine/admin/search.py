"""The admin's search box for executions and their events.

An execution id (or ARN) is looked up exactly, through an index; other text matches the
execution name, the state machine name or the error (case-insensitive substring: a scan,
which on 100,000 executions is tens of milliseconds).
"""
from __future__ import annotations

import uuid

from django.db.models import Q


def _as_uuid(term: str):
    try:
        return uuid.UUID(term)
    except ValueError:
        return None


def _from_arn(term: str):
    """(machine name, execution name) of an execution ARN, else None.

    arn:aws:states:<region>:<account>:execution:<machine>:<name>
    """
    parts = term.split(":")
    if len(parts) == 8 and parts[:3] == ["arn", "aws", "states"] and parts[5] == "execution":
        return parts[6], parts[7]
    return None


def search_executions(queryset, term: str, prefix: str = ""):
    """`queryset` narrowed to executions matching `term`; `prefix` is the path to the
    Execution ("execution__" for history events)."""
    term = term.strip()
    if not term:
        return queryset
    if (value := _as_uuid(term)) is not None:
        return queryset.filter(**{f"{prefix}id" if prefix else "pk": value})
    if (arn := _from_arn(term)) is not None:
        machine, name = arn
        return queryset.filter(**{f"{prefix}state_machine__name": machine, f"{prefix}name": name})
    return queryset.filter(Q(**{f"{prefix}name__icontains": term})
                           | Q(**{f"{prefix}state_machine__name__icontains": term})
                           | Q(**{f"{prefix}error__icontains": term}))
