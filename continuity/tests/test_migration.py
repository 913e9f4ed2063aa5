"""The data migration that ends the lead roles of people already inactive or elsewhere."""

from importlib import import_module

from django.apps import apps

from departments.models import AuditEntry
from departments.tests.factories import DepartmentFactory, PersonFactory
from techleads.models import TechLeadAssignment

migration = import_module("continuity.migrations.0001_end_orphaned_lead_roles")


def lead(org, department, **person):
    who = PersonFactory(department=department, level=4, **person)
    return TechLeadAssignment.objects.create(department=department, person=who, reason="old")


def test_ends_the_leads_who_left_and_keeps_the_others(org):
    ops = DepartmentFactory(name="Ops")
    sales = DepartmentFactory(name="Sales")
    gone = lead(org, ops, full_name="Gina Gone", is_active=False)
    moved = lead(org, sales, full_name="Mo Moved")
    moved.person.department = org.data
    moved.person.save()
    audits = AuditEntry.objects.count()

    migration.end_orphaned_leads(apps, None)

    gone.refresh_from_db()
    moved.refresh_from_db()
    assert gone.ended_at is not None
    assert gone.end_reason == "Ended by the no-orphans migration: Gina Gone is no longer active."
    assert moved.ended_at is not None
    assert "Mo Moved is no longer a member of Sales" in moved.end_reason
    # Lea (active, in Platform) keeps the role.
    assert TechLeadAssignment.objects.get(pk=org.lead.pk).ended_at is None
    entries = AuditEntry.objects.order_by("id")[audits:]
    assert [(e.verb, e.actor, e.target_id, e.note) for e in entries] == [
        ("techlead.end", None, str(gone.pk), gone.end_reason),
        ("techlead.end", None, str(moved.pk), moved.end_reason),
    ]


def test_running_it_again_changes_nothing(org):
    migration.end_orphaned_leads(apps, None)
    audits = AuditEntry.objects.count()
    migration.end_orphaned_leads(apps, None)
    assert AuditEntry.objects.count() == audits
