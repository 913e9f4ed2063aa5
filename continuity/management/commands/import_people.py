"""Upsert people from an HRIS CSV export, by employee_id: every row or none.

It lives in continuity because a row that deactivates someone who holds anything, or
moves a Tech Lead to another department, passes the no-orphans guard: such a row names a
receiver in the `transfer_to` column (an employee_id), or the import is refused."""

import csv
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from departments.actors import SYSTEM
from departments.errors import InvalidRows
from departments.forms import NEW_PERSON_FIELDS, PERSON_ROW_FIELDS, PersonCsvRowForm

from ...services import people_upsert_guarded

REQUIRED_COLUMNS = ("employee_id", *NEW_PERSON_FIELDS)
# transfer_to: who receives the holdings of a person the row deactivates (or of a lead it
# moves to another department), by employee_id; empty: nobody.
COLUMNS = (*PERSON_ROW_FIELDS, "transfer_to")
OPTIONAL_COLUMNS = tuple(c for c in COLUMNS if c not in REQUIRED_COLUMNS)
# Columns without an "empty" value: an empty cell keeps the person's value (a new person
# gets the default), as a column left out does. An empty email, jira_account_id or
# department cell clears it.
KEEP_WHEN_EMPTY = ("step", "is_active")


class Command(BaseCommand):
    help = (
        "Upsert people from an HRIS CSV export by employee_id. Required columns: "
        + ", ".join(REQUIRED_COLUMNS)
        + "; optional: "
        + ", ".join(OPTIONAL_COLUMNS)
        + " (a column left out keeps its values; department is an id or slug; track is "
        "its code or label; is_active is true/false, 1/0 or yes/no; transfer_to is the "
        "employee_id of who receives the holdings of a person the row deactivates or of a "
        "Tech Lead it moves to another department). Errors are reported by line of the "
        "file; nothing is written if any row is invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file (UTF-8, with a header row).")

    def handle(self, *args, **options):
        started = time.monotonic()
        lines, rows = self.read_rows(Path(options["file"]))
        self.stdout.write(f"Validating {len(rows)} rows…")
        try:
            result = people_upsert_guarded(
                actor=SYSTEM,
                rows=rows,
                row_numbers=lines,
                row_noun="line",
                row_form=PersonCsvRowForm,
            )
        except InvalidRows as exc:
            by_line = dict(zip(lines, rows, strict=True))
            for line, errors in sorted(exc.errors.items()):
                self.stderr.write(f"  line {line}: {self.describe(by_line[line], errors)}")
            raise CommandError(
                f"{len(exc.errors)} of {len(rows)} rows are invalid; nothing was imported."
            ) from exc
        self.stdout.write(
            f"import_people: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged of {result.total} rows in "
            f"{time.monotonic() - started:.1f}s, 0 errors"
        )

    @staticmethod
    def describe(row: dict, errors: dict[str, list[str]]) -> str:
        """`level '-2': Ensure this value ...; track 'wizard': Not a track; expected ...`"""
        parts = []
        columns = {name: i for i, name in enumerate(COLUMNS)}
        for field, messages in sorted(errors.items(), key=lambda e: columns.get(e[0], -1)):
            if field == "holdings":  # the refused field's message names them already
                continue
            if field in row:
                value = row[field]
                field = f"{field} {value!r}" if value else f"{field} (empty)"
            parts.append(f"{field}: {' '.join(messages)}")
        return "; ".join(parts)

    def read_rows(self, path: Path) -> tuple[list[int], list[dict]]:
        """The file's data rows, each with the line it ends on (the header is line 1).

        The header is checked before any row is read: a file without a required column
        is refused whole, rather than every row failing (or, for an optional column,
        silently keeping values the export meant to set).
        """
        try:
            # utf-8-sig drops the byte-order mark spreadsheet exports put first.
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.reader(handle)
                header = [name.strip().lower() for name in next(reader, [])]
                self.check_header(path, header)
                lines, rows, ragged = [], [], []
                for record in reader:
                    if not any(cell.strip() for cell in record):
                        continue
                    if len(record) != len(header):
                        ragged.append(
                            f"  line {reader.line_num}: {len(record)} cells, "
                            f"the header has {len(header)}"
                        )
                        continue
                    row = {
                        name: cell.strip()
                        for name, cell in zip(header, record, strict=True)
                        if name in COLUMNS
                    }
                    for name in (*KEEP_WHEN_EMPTY, "transfer_to"):
                        if row.get(name) == "":
                            del row[name]
                    lines.append(reader.line_num)
                    rows.append(row)
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {path}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text (save the export as CSV UTF-8).") from exc
        except csv.Error as exc:
            raise CommandError(f"{path} is not a valid CSV file: {exc}") from exc
        if ragged:
            self.stderr.write("\n".join(ragged))
            raise CommandError(
                f"{len(ragged)} line(s) do not have one cell per column; nothing was imported."
            )
        return lines, rows

    def check_header(self, path: Path, header: list[str]) -> None:
        if not any(header):
            raise CommandError(f"{path} is empty: expected a header row.")
        expected = (
            f"required: {', '.join(REQUIRED_COLUMNS)}; optional: {', '.join(OPTIONAL_COLUMNS)}"
        )
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise CommandError(
                f"{path}: the header lacks the required column(s) {', '.join(missing)} "
                f"({expected}). Nothing was imported."
            )
        repeated = sorted({c for c in header if c and header.count(c) > 1})
        if repeated:
            raise CommandError(
                f"{path}: the header names {', '.join(repeated)} more than once. "
                "Nothing was imported."
            )
        unknown = [c for c in header if c not in COLUMNS]
        if unknown:
            self.stderr.write(
                f"Ignoring the column(s) {', '.join(repr(c) for c in unknown)} ({expected})."
            )
