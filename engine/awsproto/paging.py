"""nextToken pagination for the List* and GetExecutionHistory actions.

A token is the keyset position after the last item returned (its order field and pk),
signed with the server's SECRET_KEY and salted per action: a token cannot be forged,
edited, or replayed against another action or another caller (InvalidToken, as AWS).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.db.models import Q

from .errors import AwsError

DEFAULT_PAGE = 100  # AWS: maxResults 0 or absent means the service default of 100


@dataclass
class Page:
    items: list
    next_token: str | None

    def response(self, member: str, rows: list) -> dict:
        out = {member: rows}
        if self.next_token:
            out["nextToken"] = self.next_token
        return out


def page_size(params: dict) -> int:
    return params.get("maxResults") or DEFAULT_PAGE


def sign(position: object, salt: str) -> str:
    return signing.dumps(position, salt=f"stepstudio.awsproto.{salt}", compress=True)


def unsign(token: str, salt: str) -> object:
    try:
        return signing.loads(token, salt=f"stepstudio.awsproto.{salt}")
    except signing.BadSignature:
        raise AwsError("InvalidToken", f"Invalid Token: '{token}'") from None


def keyset_page(queryset, order: tuple[str], params: dict, salt: str,
                context: object = None) -> Page:
    """One page of `queryset` ordered by `order[0]` (then pk), from params' nextToken.

    `context`: the request's filters the token belongs to; a token from a request with other
    filters is InvalidToken "Input inconsistent with page token", as AWS answers."""
    field = order[0].lstrip("-")
    descending = order[0].startswith("-")
    pk_order = "-pk" if descending else "pk"
    queryset = queryset.order_by(order[0], pk_order)
    if params.get("nextToken"):
        position = unsign(params["nextToken"], salt)
        if not (isinstance(position, list) and len(position) == 3):
            raise AwsError("InvalidToken", f"Invalid Token: '{params['nextToken']}'")
        value, pk, token_context = position
        if token_context != context:
            raise AwsError("InvalidToken",
                           f"Invalid Token: 'Input inconsistent with page token: "
                           f"{params['nextToken']}'")
        op = "lt" if descending else "gt"
        queryset = queryset.filter(Q(**{f"{field}__{op}": value})
                                   | Q(**{field: value, f"pk__{op}": pk}))
    size = page_size(params)
    items = list(queryset[: size + 1])
    if len(items) <= size:
        return Page(items, None)
    items = items[:size]
    last = items[-1]
    value = getattr(last, field)
    value = value.isoformat() if hasattr(value, "isoformat") else value
    return Page(items, sign([value, str(last.pk), context], salt))
