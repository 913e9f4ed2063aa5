"""The daily trends snapshot as a django-celery-beat PeriodicTask, editable in the admin.

06:30 UTC, after the staleness check (sops 0005: 06:00 UTC) has brought the documents'
statuses to today. get_or_create: re-running migrations keeps whatever schedule HR has set.
"""

from django.db import migrations

TASK = "dashboard.tasks.record_snapshot"


def create_schedule(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = crontab_model.objects.get_or_create(
        minute="30", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    task_model.objects.get_or_create(
        name="Trends snapshot (daily)",
        defaults={"task": TASK, "crontab": crontab, "enabled": True},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_daily_snapshot"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
