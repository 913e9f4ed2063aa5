from django.db import migrations

from departments.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("sops", "0012_notification_unsent_idx")]

    operations = [trigram_indexes("sops_document", ["title", "url"])]
