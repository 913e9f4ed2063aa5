"""The handbook's eligibility policy as EligibilityRule rows (HR edits them in the admin)."""

from django.db import migrations

# (track, min_level, max_level, min_step, max_step, verdict, priority, explanation)
HANDBOOK_POLICY = [
    (
        "ic",
        3,
        None,
        1,
        None,
        "eligible",
        10,
        "Individual Contributors at Level 3 and above can be Tech Leads",
    ),
    (
        "ic",
        1,
        2,
        1,
        None,
        "ineligible",
        20,
        "Individual Contributors below Level 3 cannot be Tech Leads yet",
    ),
    ("manager", 1, 1, 1, None, "eligible", 30, "Managers at Level 1 can be Tech Leads"),
    ("manager", 2, 2, 1, 2, "eligible", 40, "Managers at Level 2, Steps 1-2 can be Tech Leads"),
    (
        "manager",
        2,
        2,
        3,
        None,
        "transition",
        50,
        "Managers at Level 2, Step 3 and above should already have developed a successor "
        "and hand the Tech Lead role over",
    ),
    (
        "manager",
        3,
        None,
        1,
        None,
        "transition",
        60,
        "Managers above Level 2 should already have developed a successor "
        "and hand the Tech Lead role over",
    ),
]


def seed_policy(apps, schema_editor):
    rule_model = apps.get_model("techleads", "EligibilityRule")
    for track, min_level, max_level, min_step, max_step, verdict, priority, text in HANDBOOK_POLICY:
        rule_model.objects.get_or_create(
            track=track,
            min_level=min_level,
            max_level=max_level,
            min_step=min_step,
            max_step=max_step,
            defaults={"verdict": verdict, "priority": priority, "explanation": text},
        )


class Migration(migrations.Migration):
    dependencies = [("techleads", "0001_initial")]

    operations = [migrations.RunPython(seed_policy, migrations.RunPython.noop)]
