from django.core.management.base import BaseCommand

from sops.staleness import staleness_check_run


class Command(BaseCommand):
    help = "Run the documentation-staleness check now (no broker needed)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--full", action="store_true", help="Recompute every document, not only what changed."
        )

    def handle(self, *args, **options):
        run = staleness_check_run(
            full=True if options["full"] else None,
            progress=lambda message: self.stdout.write(f"  … {message}"),
        )
        errors = len(run.errors.splitlines()) if run.errors else 0
        self.stdout.write(
            f"check_staleness: {run.status_changes} status changes, "
            f"{run.notifications_sent} notifications "
            f"({run.acknowledgement_reminders} acknowledgement reminders), "
            f"{run.documents_checked} documents checked "
            f"({'full' if run.full_scan else 'incremental'}) in {run.duration_ms / 1000:.1f}s, "
            f"{errors} errors"
        )
