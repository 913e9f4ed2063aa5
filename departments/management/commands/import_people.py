"""Upsert people from an HRIS CSV export, by employee_id: every row or none."""

import csv
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from departments.errors import InvalidRows
from departments.forms import PERSON_ROW_FIELDS
from departments.services import people_upsert

REQUIRED_COLUMNS = {"employee_id", "full_name", "track", "level"}


class Command(BaseCommand):
    help = (
        "Upsert people from an HRIS CSV export by employee_id. Columns: "
        + ", ".join(PERSON_ROW_FIELDS)
        + " (department is the department's slug). Nothing is written if any row is invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file (UTF-8, with a header row).")

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = self.read_rows(Path(options["file"]))
        self.stdout.write(f"Validating {len(rows)} rows…")
        try:
            result = people_upsert(actor=None, rows=rows)
        except InvalidRows as exc:
            for number, errors in sorted(exc.errors.items()):
                # Row 1 is the header, so data row n is line n + 1 of the file.
                details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
                self.stderr.write(f"  line {number + 1}: {details}")
            raise CommandError(
                f"{len(exc.errors)} of {len(rows)} rows are invalid; nothing was imported."
            ) from exc
        self.stdout.write(
            f"import_people: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged of {result.total} rows in "
            f"{time.monotonic() - started:.1f}s, 0 errors"
        )

    def read_rows(self, path: Path) -> list[dict]:
        try:
            # utf-8-sig drops the byte-order mark spreadsheet exports put first.
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                columns = {c.strip() for c in reader.fieldnames or []}
                missing = REQUIRED_COLUMNS - columns
                if not reader.fieldnames:
                    raise CommandError(f"{path} is empty: expected a header row.")
                if missing:
                    raise CommandError(
                        f"{path} lacks the column(s) {', '.join(sorted(missing))}; "
                        f"expected: {', '.join(PERSON_ROW_FIELDS)}."
                    )
                return [
                    {k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader
                ]
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {path}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text (save the export as CSV UTF-8).") from exc
        except csv.Error as exc:
            raise CommandError(f"{path} is not a valid CSV file: {exc}") from exc
