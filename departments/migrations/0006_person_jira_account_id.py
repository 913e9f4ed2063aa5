"""People gain an optional Jira account id (Atlassian accountId), unique when set: the Jira
sync matches an issue's assignee by it before trying the email."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0005_person_email_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="jira_account_id",
            field=models.CharField(
                blank=True,
                help_text="The person's Atlassian accountId: Jira's assignee is matched by it first.",
                max_length=128,
                verbose_name="Jira account id",
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=models.Q(("jira_account_id", ""), _negated=True),
                fields=("jira_account_id",),
                name="departments_person_jira_account_unique",
                violation_error_code="jira_account_id_taken",
                violation_error_message="Another person already has this Jira account id.",
            ),
        ),
    ]
