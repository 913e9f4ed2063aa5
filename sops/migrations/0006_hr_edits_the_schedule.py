"""HR edits the staleness check's schedule in the admin: give the HR group
django-celery-beat's model permissions (the third-party admin checks Django's)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["periodictask", "crontabschedule", "intervalschedule", "solarschedule", "clockedschedule"]


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; make sure these exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    hr, _ = group_model.objects.get_or_create(name="HR")
    hr.permissions.add(
        *permission_model.objects.filter(
            content_type__app_label="django_celery_beat", content_type__model__in=MODELS
        ).exclude(codename__startswith="delete_")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sops", "0005_daily_staleness_schedule"),
        ("departments", "0002_hr_group"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
