"""1. The webhook sweep as a django-celery-beat PeriodicTask, every minute: deliveries the
broker could not take, retries whose backoff has passed, and bulk-published events are
sent. get_or_create: a schedule edited since is kept.

2. HR manages webhooks in the admin: the HR group gets the webhook model permissions and
may view deliveries (the admin checks Django's permissions; this app knows no roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TASK = "integrations.tasks.sweep_webhooks"
PERMISSIONS = ["add_webhook", "change_webhook", "delete_webhook", "view_webhook"]
PERMISSIONS += ["view_webhookdelivery"]


def create_schedule(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = interval_model.objects.get_or_create(every=1, period="minutes")
    task_model.objects.get_or_create(
        name="Webhook deliveries sweep (every minute)",
        defaults={"task": TASK, "interval": every_minute, "enabled": True},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; make sure these exist now.
    app_config = apps.get_app_config("integrations")
    models_module = getattr(app_config, "models_module", None)  # unset in a migration
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    hr, _ = group_model.objects.get_or_create(name="HR")
    hr.permissions.add(
        *permission_model.objects.filter(
            content_type__app_label="integrations", codename__in=PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0003_webhooks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_schedule, remove_schedule),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
