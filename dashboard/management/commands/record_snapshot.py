import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from dashboard.services import snapshot_record


class Command(BaseCommand):
    help = "Record today's trends snapshot now (no broker needed); a re-run replaces the day."

    def add_arguments(self, parser):
        parser.add_argument(
            "--day",
            help="Store the figures as they stand now under this day (YYYY-MM-DD) instead.",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            day = date.fromisoformat(options["day"]) if options["day"] else None
        except ValueError as exc:
            raise CommandError(f"--day: {exc}") from exc
        rows = snapshot_record(day=day)
        self.stdout.write(
            f"record_snapshot: {rows - 1} departments and the organisation recorded "
            f"in {time.monotonic() - started:.1f}s, 0 errors"
        )
