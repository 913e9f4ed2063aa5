"""End the active assignment of every Tech Lead who is already inactive or a member of
another department (data from before the no-orphans guard), with an audit entry saying
why. The actor is the system (no login), as for every job."""

from django.db import migrations
from django.db.models import F, Q
from django.utils import timezone

WHY = {
    "inactive": "Ended by the no-orphans migration: {person} is no longer active.",
    "elsewhere": "Ended by the no-orphans migration: {person} is no longer a member of "
    "{department}.",
}


def end_orphaned_leads(apps, schema_editor):
    """1. Find the active assignments whose person is inactive or in another department.
    2. End them now, each with its reason. 3. One audit entry each, bulk-inserted."""
    assignment_model = apps.get_model("techleads", "TechLeadAssignment")
    audit_model = apps.get_model("departments", "AuditEntry")
    now = timezone.now()
    orphaned = list(
        assignment_model.objects.filter(ended_at__isnull=True)
        .filter(
            Q(person__is_active=False)
            | Q(person__department__isnull=True)
            | ~Q(person__department=F("department"))
        )
        .select_related("person", "department")
        .order_by("pk")
    )
    entries = []
    for assignment in orphaned:
        person, department = assignment.person, assignment.department
        why = WHY["inactive" if not person.is_active else "elsewhere"].format(
            person=person.full_name, department=department.name
        )
        before = {"ended_at": None, "end_reason": assignment.end_reason}
        assignment.ended_at = now
        assignment.end_reason = why
        assignment.save(update_fields=["ended_at", "end_reason"])
        entries.append(
            audit_model(
                actor=None,
                verb="techlead.end",
                target_type="techleads.techleadassignment",
                target_id=str(assignment.pk),
                target_repr=f"{person.full_name} → {department.name}"[:300],
                department_id=department.pk,
                before=before,
                after={"ended_at": now.isoformat(), "end_reason": why},
                note=why,
            )
        )
    audit_model.objects.bulk_create(entries)


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0008_audit_append_only"),
        ("techleads", "0004_successor_rank_emergency_confirmation"),
    ]

    operations = [migrations.RunPython(end_orphaned_leads, migrations.RunPython.noop)]
