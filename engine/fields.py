"""A JSONField that keeps object keys in the order they were written.

PostgreSQL's `jsonb` (Django's JSONField there) stores a parsed form and returns object keys
sorted by length, then bytes. Step Functions never reorders: the output of a state is the
JSON text its input and Parameters made, and a durable step reads its data back from the
database between states, so with `jsonb` an execution's history and output would differ from
AWS's after every Task. PostgreSQL's `json` type keeps the text as written (and still checks
that it is JSON); SQLite stores text anyway.

The price: `json` has no equality or containment operators (no `filter(input=…)`, no
`__contains`, no GIN index). Key-path reads (`KT("details__a__b")`) still work.
"""
from __future__ import annotations

from django.db import models
from django.db.backends.signals import connection_created
from django.dispatch import receiver


class OrderedJSONField(models.JSONField):
    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        from psycopg.types.json import Json

        if not prepared:
            value = self.get_prep_value(value)
        # Django adapts to Jsonb: PostgreSQL would parse it as jsonb (sorting the keys)
        # before casting it to json.
        return Json(value, dumps=self._dumps)

    def _dumps(self, value):
        import json

        return json.dumps(value, cls=self.encoder)


@receiver(connection_created)
def _json_as_text(sender, connection, **kwargs):
    """Hand `json` columns to Django as text, as Django has psycopg do for `jsonb`.

    psycopg would parse them itself, and Django's JSONField would then parse the result
    again: a stored JSON string such as "{\"a\": 1}" would come back as an object.
    """
    if connection.vendor == "postgresql":
        from psycopg.types.string import TextLoader

        connection.connection.adapters.register_loader("json", TextLoader)
