from django.db import migrations

HR_GROUP = "HR"


def create_hr_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=HR_GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_hr_group, migrations.RunPython.noop)]
