"""The audit trail is append-only, down to the database.

1. The actor and the department of an entry are PROTECTed (they were SET_NULL). Under
   SET_NULL, deleting a user or a department UPDATEs every entry naming it, erasing the
   "who" or the "where" of history: exactly the rewrite this migration forbids, and the
   trigger below would refuse it anyway, mid-delete. The alternatives were weighed:
   - letting the trigger allow an UPDATE that only NULLs actor_id/department_id keeps
     deletion possible but lets any delete blank the trail, so it is not append-only;
   - DO_NOTHING without a database constraint keeps the id of a deleted row (a dangling
     reference the admin and the pages would have to guard against everywhere).
   PROTECT matches the product: users are deactivated, not deleted, and people and
   departments are never deleted. Deleting a user or a department the trail names is
   refused (ProtectedError in Django, a foreign key violation in raw SQL); one that the
   trail never names can still be deleted.
2. On PostgreSQL, a trigger refuses UPDATE and DELETE of any row and a statement trigger
   refuses TRUNCATE, whatever the client (the ORM, psql, another service). The error is
   a restrict_violation (SQLSTATE 23001, an IntegrityError in Django). TRUNCATE alone
   can be allowed for one session with `SET techleads.allow_audit_truncate = on`: Django
   empties the test database with TRUNCATE between transactional tests, and the test
   settings set it on their connections. A database owner can always drop the trigger;
   this guards the application and its operators against rewriting history by mistake,
   not against the owner of the database.

The model refuses the same writes on every database (AuditEntry.save/delete and its
queryset's update/delete); SQLite gets no trigger. Reversible: the reverse drops the
triggers and the function, and restores SET_NULL.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "departments_auditentry"
FUNCTION = "departments_auditentry_append_only"

CREATE = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('techleads.allow_audit_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER {TABLE}_no_update_delete
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
CREATE TRIGGER {TABLE}_no_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
"""

DROP = f"""
DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};
DROP TRIGGER IF EXISTS {TABLE}_no_update_delete ON {TABLE};
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("departments", "0007_integration_login"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audit_entries",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="department",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audit_entries",
                to="departments.department",
            ),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
