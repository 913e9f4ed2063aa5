from django.db import migrations

from departments.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("departments", "0008_audit_append_only")]

    operations = [trigram_indexes("departments_person", ["full_name", "employee_id", "email"])]
