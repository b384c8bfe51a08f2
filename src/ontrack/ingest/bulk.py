"""Writing a Polars frame straight into a model's table: no model object per row.

``bulk_create`` builds a Django object per record and prepares every value one at a time
(most of an import's time, ADR 0016). Here the preparation the ORM would do is done per
column: dates as ISO text, booleans as the backend stores them, blank text as "" where the
field is not nullable, JSON encoded, missing columns as the field's default, ``auto_now``
fields stamped once. Then SQLite gets one ``executemany`` on the raw connection and
PostgreSQL a ``COPY``, both inside the caller's transaction (Django's ``atomic``).

Primary keys are reserved before writing, so the caller knows every new row's id without
reading anything back (ADR 0016 explains why this is safe):

- PostgreSQL: ``nextval`` of the table's sequence, once per row, in one statement. A value
  handed out by a sequence is never handed out again, whatever other sessions do.
- SQLite: the ids after the highest ever used (``MAX(id)`` and ``sqlite_sequence``). Only
  one connection can write to a SQLite database at a time, and the caller has already
  written in this transaction, so no one else can take those ids before it commits.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import polars as pl
from django.db import connection, models
from django.utils import timezone

CHUNK = 50_000  # rows per executemany / COPY write: bounds the memory of a text copy
SQLITE_CACHE_KIB = 64 * 1024

Progress = Callable[[int, int], None]


def reserve_ids(model: type[models.Model], count: int) -> pl.Series:
    """``count`` new primary keys for ``model``'s table, in the order they will be used.

    Must run inside the transaction that inserts them (and, on SQLite, after it has
    written), see the module's docstring. On PostgreSQL the ids are the caller's for good;
    on SQLite only until the next insert into the table, so insert them at once
    (``insert_frame`` reserves and inserts back to back)."""
    table = model._meta.db_table
    if count == 0:
        return pl.Series("id", [], dtype=pl.Int64)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return pl.Series("id", [r[0] for r in cursor.fetchall()], dtype=pl.Int64)
        if not connection.in_atomic_block:
            raise RuntimeError("ids can only be reserved inside the inserting transaction")
        quoted = connection.ops.quote_name(table)
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {quoted}), 0), "  # noqa: S608 - table from the model
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        start = int(cursor.fetchone()[0]) + 1
    return pl.int_range(start, start + count, dtype=pl.Int64, eager=True).alias("id")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _prepared(field: models.Field[Any, Any], column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """One column as the database stores it (what ``get_db_prep_save`` does per value)."""
    postgres = connection.vendor == "postgresql"
    if isinstance(field, models.JSONField):
        return column.map_elements(_json, return_dtype=pl.String)
    if isinstance(field, models.DateTimeField):
        raise TypeError(f"{field}: date-time columns are not written from frames (use the ORM)")
    if isinstance(field, models.DateField):
        if dtype not in (pl.Date(), pl.Null()):
            raise TypeError(f"{field}: expected a Polars Date column, got {dtype}")
        return column.cast(pl.String)  # ISO YYYY-MM-DD on both backends
    if isinstance(field, models.BooleanField):
        return column.cast(pl.Boolean) if postgres else column.cast(pl.Boolean).cast(pl.Int8)
    if isinstance(field, models.CharField | models.TextField):
        text = column.cast(pl.String)
        # Unknown text is "" unless the field is nullable (ADR 0004): as the ORM stores it.
        return text if field.null else text.fill_null("")
    if isinstance(field, models.IntegerField | models.ForeignKey | models.AutoField):
        return column.cast(pl.Int64)
    raise TypeError(f"{field}: no columnar preparation for {type(field).__name__}")


def _constant(field: models.Field[Any, Any], now: Any) -> Any:
    """A column the frame does not have: ``auto_now`` stamps or the field's default."""
    if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
        value: Any = now
    else:
        value = field.get_default()
    if isinstance(field, models.JSONField):
        return _json(value)
    return field.get_db_prep_save(value, connection)


def insert_frame(
    model: type[models.Model],
    frame: pl.DataFrame,
    *,
    with_ids: bool = True,
    progress: Progress | None = None,
) -> pl.Series | None:
    """Insert one row per frame row; columns are field attnames (``person_id``), others
    are ignored. Returns the new primary keys in frame order, reserved first; with
    ``with_ids=False`` the database numbers the rows itself and nothing is returned
    (cheaper: for records nothing else refers to)."""
    if not connection.in_atomic_block:
        raise RuntimeError("insert_frame writes inside the caller's transaction only")
    ids = reserve_ids(model, frame.height) if with_ids else None
    if frame.height == 0:
        return ids
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = ([] if ids is None else ["id"]) + [f.column for f in fields]
    exprs: list[pl.Expr] = [] if ids is None else [pl.lit(ids).alias("id")]
    constants: dict[str, Any] = {}
    for f in fields:
        if f.attname in frame.columns:
            dtype = frame.schema[f.attname]
            exprs.append(_prepared(f, pl.col(f.attname), dtype).alias(f.column))
        else:
            constants[f.column] = _constant(f, now)
    table = frame.select(exprs)
    for name, value in constants.items():
        table = table.with_columns(
            pl.lit(value if not hasattr(value, "isoformat") else str(value)).alias(name)
        )
    table = table.select(names)
    writer = _copy if connection.vendor == "postgresql" else _executemany
    done = 0
    with _sqlite_cache():
        for part in table.iter_slices(CHUNK):
            writer(model._meta.db_table, names, part)
            done += part.height
            if progress is not None:
                progress(done, table.height)
    return ids


@contextmanager
def _sqlite_cache() -> Iterator[None]:
    """A larger page cache while inserting: SQLite's default (2 MiB) makes every insert
    into a large index (names, identifiers) a read from disk."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _executemany(table: str, names: list[str], part: pl.DataFrame) -> None:
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in names)}) "  # noqa: S608 - names from the model
        f"VALUES ({', '.join('?' * len(names))})"
    )
    connection.ensure_connection()
    raw = connection.connection  # the sqlite3 connection, in Django's open transaction
    assert raw is not None
    raw.executemany(sql, part.iter_rows())


def _copy(table: str, names: list[str], part: pl.DataFrame) -> None:
    buffer = io.BytesIO()
    # Polars writes null as an empty field and "" as a quoted empty string: exactly what
    # PostgreSQL's CSV COPY reads as NULL and as the empty string.
    part.write_csv(buffer, include_header=False, null_value="")
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(n) for n in names)}) FROM STDIN (FORMAT csv)"
    connection.ensure_connection()
    raw = connection.connection  # the psycopg 3 connection, in Django's open transaction
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        copy.write(buffer.getvalue())
