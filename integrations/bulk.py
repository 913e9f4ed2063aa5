"""Plain multi-row INSERTs: bulk writes of many rows without a model instance per row
(bulk_create spends most of its time building and preparing instances)."""

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from django.db import connection
from django.db.models import Model

# Rows one INSERT carries at most; fewer where the database limits bound parameters
# (SQLite).
INSERT_ROWS = 1000


def batched(items: Iterable, size: int) -> Iterator[tuple]:
    """itertools.batched of Python 3.12, for 3.11."""
    iterator = iter(items)
    while batch := tuple(islice(iterator, size)):
        yield batch


def rows_per_insert(columns: int) -> int:
    limit = connection.features.max_query_params
    return max(1, min(INSERT_ROWS, limit // columns)) if limit else INSERT_ROWS


def rows_insert(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT `rows` (values in `columns` order, already in the database's format: ids,
    text, values prepared with a field's get_db_prep_save) into `model`'s table, as many
    per statement as the database takes; return how many rows were written."""
    quote = connection.ops.quote_name
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # Only quoted model names and %s placeholders are formatted in; values are parameters.
    table, names = quote(model._meta.db_table), ", ".join(map(quote, columns))
    head = f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608  # nosec B608
    written = 0
    with connection.cursor() as cursor:
        for batch in batched(rows, rows_per_insert(len(columns))):
            values = ", ".join([one_row] * len(batch))
            cursor.execute(head + values, [value for row in batch for value in row])
            written += len(batch)
    return written
