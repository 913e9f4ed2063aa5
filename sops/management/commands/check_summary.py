import time

from django.core.management.base import BaseCommand, CommandError

from sops.summary import summary_differences, summary_recompute

SHOWN = 50  # differences listed; the rest are counted


class Command(BaseCommand):
    help = (
        "Compare the per-department document summary with a count of the documents; "
        "exit non-zero on any difference (--fix rewrites the rows that differ)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Rewrite the departments that differ."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        self.stdout.write("  … counting documents per department and comparing")
        differences = summary_differences()
        for department_id, column, stored, counted in differences[:SHOWN]:
            self.stdout.write(
                f"  department {department_id}: {column} is {stored}, counted {counted}"
            )
        if len(differences) > SHOWN:
            self.stdout.write(f"  … and {len(differences) - SHOWN} more")
        departments = sorted({d for d, *_ in differences})
        fixed = 0
        if departments and options["fix"]:
            self.stdout.write(f"  … rewriting {len(departments)} department(s)")
            fixed = summary_recompute(departments)
        seconds = time.monotonic() - started
        summary = (
            f"check_summary: {len(differences)} difference(s) in {len(departments)} "
            f"department(s), {fixed} rewritten, in {seconds:.1f}s"
        )
        if differences and not options["fix"]:
            raise CommandError(summary)
        self.stdout.write(summary)
