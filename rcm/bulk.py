"""Insert many model rows at once, one array parameter per column.

Django's `bulk_create` compiles every value of every row into the statement in Python: for an
835 of 10,000 claims (20,000 line payments, 30,000 adjustments) that took longer than
PostgreSQL took to insert them (bench/bench_post_835.py). `objects_insert` sends each column
as one array and lets PostgreSQL take the rows apart (`INSERT … SELECT … FROM unnest(…)`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models import BooleanField, F, Func

BATCH = 20_000  # rows per statement: a few MB of parameters at most


def _array_literal(items: Sequence[object] | None) -> str | None:
    """A one-dimensional PostgreSQL array literal of text: '{"N130","M76"}'."""
    if items is None:
        return None
    quoted = (
        '"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"'
        if item is not None
        else "NULL"
        for item in items
    )
    return "{" + ",".join(quoted) + "}"


def _column(field: models.Field[Any, Any], values: list[Any]) -> tuple[str, str, list[Any]]:
    """(the unnest argument's cast, the select's expression for it, the values as sent)."""
    db_type = field.db_type(connection)
    if isinstance(field, ArrayField):
        # unnest flattens arrays of arrays: each row's array travels as its text literal.
        return "text[]", f"::{db_type}", [_array_literal(v) for v in values]
    if isinstance(field, models.JSONField):
        encoder = field.encoder or DjangoJSONEncoder
        sent = [None if v is None else json.dumps(v, cls=encoder) for v in values]
        return "text[]", "::jsonb", sent
    return f"{db_type}[]", "", values


def objects_insert(objs: Sequence[models.Model], *, batch_size: int = BATCH) -> None:
    """INSERT these new instances of one model (an auto-incremented id, no multi-table
    inheritance) and set each one's id, as `bulk_create` does: signals are not sent, and
    fields set on save (auto_now, auto_now_add) are filled."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    for obj in objs:
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                f.pre_save(obj, add=True)
    names = ", ".join(connection.ops.quote_name(f.column or f.name) for f in fields)
    assert meta.pk is not None and meta.pk.column is not None  # every concrete model has one
    pk = connection.ops.quote_name(meta.pk.column)
    table = connection.ops.quote_name(meta.db_table)
    for start in range(0, len(objs), batch_size):
        chunk = objs[start : start + batch_size]
        columns = [_column(f, [getattr(o, f.attname) for o in chunk]) for f in fields]
        aliases = [f"c{n}" for n in range(len(fields))]
        unnest = ", ".join(f"%s::{cast}" for cast, _, _ in columns)
        select = ", ".join(f"u.{a}{expr}" for a, (_, expr, _) in zip(aliases, columns, strict=True))
        sql = (
            f"INSERT INTO {table} ({names}) SELECT {select} "  # the model's own names
            f"FROM unnest({unnest}) AS u({', '.join(aliases)}) RETURNING {pk}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [values for _, _, values in columns])
            ids = [row[0] for row in cursor.fetchall()]
        for obj, new_id in zip(chunk, ids, strict=True):
            obj.pk = new_id
            obj._state.adding = False
            obj._state.db = connection.alias


class AnyOf(Func):
    """`column = ANY(%s)`: one array parameter however many ids. An IN list of 10,000 ids
    costs Django half a second to compile, more than the query takes to run; the ids go to
    the driver as they are, not prepared one by one."""

    output_field = BooleanField()

    def __init__(self, column: str, ids: list[int]) -> None:
        super().__init__(F(column))
        self.ids = ids

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        column, params = compiler.compile(self.get_source_expressions()[0])
        return f"({column} = ANY(%s::bigint[]))", (*params, self.ids)


def among(column: str, ids: Sequence[int]) -> AnyOf:
    """A filter: `column` is one of `ids` (`Model.objects.filter(among("id", ids))`)."""
    return AnyOf(column, list(ids))
