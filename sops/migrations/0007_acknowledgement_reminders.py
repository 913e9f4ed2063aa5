"""Acknowledgement reminders: a notification kind, and what each staleness run did about
them (so a re-run with nothing changed skips the look)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sops", "0006_hr_edits_the_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="stalenessrun",
            name="acknowledgement_reminders",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="stalenessrun",
            name="reminders_checked",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("digest", "Review digest"),
                    ("escalation", "Escalation"),
                    ("hr_report", "Documents without an owner"),
                    ("acknowledgement", "Acknowledgement reminder"),
                ],
                max_length=16,
            ),
        ),
    ]
