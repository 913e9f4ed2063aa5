"""Emails become unique, ignoring case; a blank email (none known) may repeat.

People could share an address before (HRIS syncs never checked), so the migration first
resolves what it finds. For each address held by more than one person, ignoring case,
the email stays with the person who should keep receiving the mail: the active one
created first, or the one created first when none is active. The others get a blank
email rather than a made-up one ("ann+2@..."): a made-up address could reach a real
mailbox or match the wrong Jira user, whereas a blank one only says "unknown" until HR or
the next HRIS sync sets the right one. Each change is printed and kept in the audit trail
(verb person.email_deduplicate, the old email in `before`), so nothing is lost.
"""

from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def emails_deduplicate(apps, schema_editor):
    person_model = apps.get_model("departments", "Person")
    audit_model = apps.get_model("departments", "AuditEntry")
    people = person_model.objects.exclude(email="").annotate(address=Lower("email"))
    shared = (
        people.values("address").annotate(holders=Count("id")).filter(holders__gt=1)
    ).values_list("address", flat=True)
    blanked = 0
    for address in shared.order_by("address"):
        keeper, *others = people.filter(address=address).order_by("-is_active", "created_at", "pk")
        print(
            f"  departments.0005: {address!r} was shared by {len(others) + 1} people; "
            f"kept by {keeper.employee_id}, blanked on "
            + ", ".join(other.employee_id for other in others)
        )
        for other in others:
            audit_model.objects.create(
                verb="person.email_deduplicate",
                target_type="departments.person",
                target_id=str(other.pk),
                target_repr=other.full_name[:300],
                department_id=other.department_id,
                before={"email": other.email},
                after={"email": ""},
                note=f"Email also held by {keeper.employee_id}, who keeps it.",
            )
            other.email = ""
            other.save(update_fields=["email"])
            blanked += 1
    if blanked:
        print(f"  departments.0005: {blanked} duplicate email(s) blanked; see the audit trail.")


class Migration(migrations.Migration):
    dependencies = [("departments", "0004_integrations_group")]

    operations = [
        migrations.RunPython(emails_deduplicate, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(("email", ""), _negated=True),
                name="departments_person_email_unique",
                violation_error_code="email_taken",
                violation_error_message="Another person already has this email.",
            ),
        ),
    ]
