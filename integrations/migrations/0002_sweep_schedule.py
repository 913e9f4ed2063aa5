"""The outbox sweep as a django-celery-beat PeriodicTask: every minute, what the broker
could not take when it was queued is published once it is back.

get_or_create: re-running migrations keeps whatever schedule has been set since.
"""

from django.db import migrations

TASK = "integrations.tasks.sweep_outbox"


def create_schedule(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = interval_model.objects.get_or_create(every=1, period="minutes")
    task_model.objects.get_or_create(
        name="Outbox sweep (every minute)",
        defaults={"task": TASK, "interval": every_minute, "enabled": True},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0001_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
