import time

from django.core.management.base import BaseCommand

from dashboard.health import health_scores_refresh


class Command(BaseCommand):
    help = (
        "Store every department's health score and succession risk now (the ranking the "
        "overview and the departments list pick their first rows by; beat does it "
        "every HEALTH_SCORES_REFRESH_MINUTES)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        self.stdout.write("  … scoring departments")
        scored = health_scores_refresh()
        self.stdout.write(
            f"refresh_health_scores: {scored} department(s) scored in "
            f"{time.monotonic() - started:.1f}s, 0 errors"
        )
