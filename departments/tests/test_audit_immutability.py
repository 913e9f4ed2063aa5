"""The audit trail is append-only: nothing changes or deletes an entry once written, not
the services, the admin (superusers included), the API, nor raw SQL on PostgreSQL."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from departments.models import AuditEntry, AuditEntryImmutable
from departments.services import audit_entry_build, audit_entry_create
from departments.tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(org):
    return audit_entry_create(
        actor=org.hr, verb="department.update", target=org.platform, department=org.platform
    )


def test_services_append_entries_one_by_one_and_in_bulk(org):
    before = AuditEntry.objects.count()
    audit_entry_create(actor=org.hr, verb="department.update", target=org.data)
    AuditEntry.objects.bulk_create(
        [
            audit_entry_build(actor=org.hr, verb="person.import_update", target=p)
            for p in (org.ian, org.jo)
        ]
    )
    assert AuditEntry.objects.count() == before + 3


def test_saving_an_existing_entry_is_refused(entry):
    entry.note = "rewritten"
    with pytest.raises(AuditEntryImmutable, match="append-only"):
        entry.save()
    fetched = AuditEntry.objects.get(pk=entry.pk)
    with pytest.raises(AuditEntryImmutable):
        fetched.save(update_fields=["note"])
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_an_entry_built_with_an_existing_pk_does_not_overwrite_it(entry):
    clone = AuditEntry(pk=entry.pk, verb="forged", target_type="x", target_id="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()  # an INSERT, never an UPDATE
    assert AuditEntry.objects.get(pk=entry.pk).verb == "department.update"


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AuditEntryImmutable, match="append-only"):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_and_delete_are_refused(entry):
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.update(note="rewritten")
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditEntryImmutable):
        org_entries = AuditEntry.objects.filter(department=entry.department)
        org_entries.delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_deleting_a_user_the_trail_names_is_refused(entry, org):
    """PROTECT (migration 0008): a user is deactivated, never deleted once they acted."""
    with pytest.raises(ProtectedError), transaction.atomic():
        org.hr.delete()
    assert AuditEntry.objects.get(pk=entry.pk).actor == org.hr
    org.hr.is_active = False
    org.hr.save()  # deactivating is how a login leaves
    assert AuditEntry.objects.get(pk=entry.pk).actor_id == org.hr.pk


def test_a_user_the_trail_never_names_can_still_be_deleted(org):
    stranger = UserFactory(username="stranger")
    stranger.delete()
    assert not get_user_model().objects.filter(username="stranger").exists()


def test_deleting_a_department_the_trail_names_is_refused(entry):
    department = DepartmentFactory()
    audit_entry_create(
        actor=None, verb="department.create", target=department, department=department
    )
    with pytest.raises(ProtectedError), transaction.atomic():
        department.delete()


# The database refuses raw SQL too (PostgreSQL's trigger).


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.postgres
def test_raw_update_is_refused_by_the_database(entry):
    with pytest.raises(IntegrityError, match="append-only"):
        raw("UPDATE departments_auditentry SET note = 'rewritten' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


@pytest.mark.postgres
def test_raw_delete_is_refused_by_the_database(entry):
    with pytest.raises(IntegrityError, match="append-only"):
        raw("DELETE FROM departments_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_raw_truncate_is_refused_by_the_database(entry):
    # The test settings allow TRUNCATE (Django empties test databases with it); turned
    # off here, as every other session has it.
    with pytest.raises(IntegrityError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL techleads.allow_audit_truncate = off")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign key checks
            cursor.execute("TRUNCATE departments_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_raw_delete_of_a_named_user_is_refused_by_the_database(org):
    auditor = UserFactory(username="auditor")
    audit_entry_create(actor=auditor, verb="department.update", target=org.data)
    with pytest.raises(IntegrityError, match="departments_auditentry"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("DELETE FROM auth_user WHERE id = %s", [auditor.pk])


# The admin: view only, superusers included.


@pytest.fixture
def superuser_client(client, db):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-1")
    client.force_login(root)
    return client


def test_admin_change_page_is_read_only_for_a_superuser(superuser_client, entry):
    url = reverse("admin:departments_auditentry_change", args=[entry.pk])
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert b'name="note"' not in page.content
    posted = superuser_client.post(url, {"verb": "forged", "note": "rewritten"})
    assert posted.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).verb == "department.update"


def test_admin_delete_is_forbidden_for_a_superuser(superuser_client, entry):
    url = reverse("admin:departments_auditentry_delete", args=[entry.pk])
    assert superuser_client.get(url).status_code == 403
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:departments_auditentry_changelist")
    bulk = superuser_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_admin_add_is_forbidden_for_a_superuser(superuser_client):
    assert superuser_client.get(reverse("admin:departments_auditentry_add")).status_code == 403


def test_hr_browses_and_filters_the_trail_in_the_admin(hr_client, entry, org):
    changelist = reverse("admin:departments_auditentry_changelist")
    page = hr_client.get(changelist, {"verb": "department.update", "q": "Platform"})
    assert page.status_code == 200
    assert "Platform" in page.content.decode()
    assert hr_client.get(changelist, {"actor__id__exact": org.hr.pk}).status_code == 200
    assert hr_client.get(changelist, {"department__id__exact": org.platform.pk}).status_code == 200
    detail = hr_client.get(reverse("admin:departments_auditentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content


# The API: no endpoint writes audit entries.


def api_views(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from api_views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_no_api_endpoint_writes_audit_entries():
    """Every API view over AuditEntry accepts only safe methods."""
    for route, callback in api_views():
        view = getattr(callback, "cls", None)
        queryset = getattr(view, "queryset", None)
        if queryset is None or queryset.model is not AuditEntry:
            continue
        actions = getattr(callback, "actions", None) or {}
        methods = set(actions) or {m for m in view.http_method_names if hasattr(view, m)}
        assert methods <= {"get", "head", "options"}, route
