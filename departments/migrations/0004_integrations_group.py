from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="Integrations")


class Migration(migrations.Migration):
    dependencies = [("departments", "0003_ladder_validators")]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
