"""Integration logins in the admin: a proxy of the user model, limited to the Integrations
group, where HR creates, rotates and revokes them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("departments", "0006_person_jira_account_id"),
    ]

    operations = [
        migrations.CreateModel(
            name="IntegrationLogin",
            fields=[],
            options={
                "verbose_name": "integration login",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("auth.user",),
        ),
    ]
