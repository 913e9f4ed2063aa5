"""`manage.py import_people FILE.csv`: an HRIS export, reported by line of the file."""

import pytest
from django.core.management import CommandError, call_command

from continuity.management.commands.import_people import Command as ImportPeople
from departments.models import AuditEntry, Person

pytestmark = pytest.mark.django_db

HEADER = "employee_id,full_name,email,department,track,level,step,is_active\n"


def write(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "people.csv"
    path.write_text(text, encoding=encoding)
    return str(path)


def import_error(csv_file, capsys) -> tuple[str, str]:
    """The CommandError's message and what was reported on stderr."""
    with pytest.raises(CommandError) as exc:
        call_command("import_people", csv_file)
    return str(exc.value), capsys.readouterr().err


def test_creates_updates_and_reports_a_summary(org, tmp_path, capsys):
    csv_file = write(
        tmp_path,
        "\ufeff"
        + HEADER
        + "N-1,Nora Nilsen,nora@example.com,platform,ic,3,2,true\n"
        + f"{org.dana.employee_id},Dana Data,{org.dana.email},data,manager,1,1,1\n",
    )
    call_command("import_people", csv_file)
    out = capsys.readouterr().out
    assert "import_people: 1 created, 1 updated, 0 unchanged of 2 rows" in out
    assert Person.objects.get(employee_id="N-1").department == org.platform
    org.dana.refresh_from_db()
    assert (org.dana.track, org.dana.level) == ("manager", 1)
    assert AuditEntry.objects.filter(verb="person.import_update").count() == 1


def test_bad_rows_are_reported_by_line_with_the_value_and_nothing_is_written(org, tmp_path, capsys):
    csv_file = write(
        tmp_path,
        HEADER
        + "N-1,Nora Nilsen,nora@example.com,platform,ic,3,2,true\n"
        + "N-2,,not-an-email,atlantis,wizard,-2,1,maybe\n",
    )
    message, err = import_error(csv_file, capsys)
    assert "1 of 2 rows are invalid; nothing was imported" in message
    [line] = err.strip().splitlines()
    assert line.startswith("line 3: ")
    assert "full_name (empty): This field is required." in line
    assert "email 'not-an-email': Enter a valid email address." in line
    assert "department 'atlantis': No department with this id or slug." in line
    assert (
        "track 'wizard': Not a track; expected one of: ic (Individual Contributor), "
        "manager (Manager)." in line
    )
    assert "level '-2': Ensure this value is greater than or equal to 1." in line
    assert "is_active 'maybe': Expected true/false, 1/0 or yes/no." in line
    assert not Person.objects.filter(employee_id__in=["N-1", "N-2"]).exists()


def test_every_number_is_a_line_of_the_file(org, tmp_path, capsys):
    csv_file = write(
        tmp_path,
        HEADER
        + "N-1,Nora Nilsen,,,ic,3,,\n"
        + "\n"  # a blank line still counts: line 3
        + 'N-2,"Nils\nNilsen",,,ic,3,,\n'  # a quoted line break: lines 4-5
        + "N-1,Nora Again,,,ic,0,,\n",
    )
    _, err = import_error(csv_file, capsys)
    assert err.strip().splitlines() == [
        "line 6: employee_id 'N-1': Duplicate of line 2.; "
        "level '0': Ensure this value is greater than or equal to 1."
    ]


@pytest.mark.parametrize(
    ("track", "stored"),
    [
        ("ic", "ic"),
        ("IC", "ic"),
        ("Individual Contributor", "ic"),
        ("individual contributor", "ic"),
        ("manager", "manager"),
        ("Manager", "manager"),
        ("MANAGER", "manager"),
    ],
)
def test_a_track_by_code_or_label_in_any_case(db, tmp_path, track, stored):
    call_command("import_people", write(tmp_path, HEADER + f"N-1,Nora,,,{track},3,,\n"))
    assert Person.objects.get(employee_id="N-1").track == stored


@pytest.mark.parametrize(
    ("cell", "active"),
    [("true", True), ("TRUE", True), ("1", True), ("Yes", True), ("false", False)]
    + [("False", False), ("0", False), ("no", False), ("NO", False)],
)
def test_is_active_words(db, tmp_path, cell, active):
    call_command("import_people", write(tmp_path, HEADER + f"N-1,Nora,,,ic,3,1,{cell}\n"))
    assert Person.objects.get(employee_id="N-1").is_active is active


@pytest.fixture
def dana(org):
    org.dana.email, org.dana.step, org.dana.is_active = "dana@example.com", 3, False
    org.dana.jira_account_id = "712020:dana"
    org.dana.save()
    return org.dana


def test_a_column_left_out_keeps_its_values(dana, tmp_path):
    csv_file = write(tmp_path, f"employee_id,full_name,track,level\n{dana.employee_id},Dana,ic,6\n")
    call_command("import_people", csv_file)
    dana.refresh_from_db()
    assert (dana.full_name, dana.level) == ("Dana", 6)
    assert (dana.email, dana.step, dana.is_active) == ("dana@example.com", 3, False)
    assert (dana.department.slug, dana.jira_account_id) == ("data", "712020:dana")


def test_an_empty_step_or_is_active_keeps_and_an_empty_email_clears(dana, tmp_path):
    csv_file = write(tmp_path, HEADER + f"{dana.employee_id},Dana Data,,data,ic,5,,\n")
    call_command("import_people", csv_file)
    dana.refresh_from_db()
    assert (dana.email, dana.step, dana.is_active) == ("", 3, False)


def test_department_by_id_and_the_jira_account_column(org, tmp_path):
    csv_file = write(
        tmp_path,
        "employee_id,full_name,track,level,department,jira_account_id\n"
        f"{org.jo.employee_id},Jo Junior,ic,2,{org.data.pk},5b10a2844c20165700ede21g\n",
    )
    call_command("import_people", csv_file)
    org.jo.refresh_from_db()
    assert (org.jo.department, org.jo.jira_account_id) == (org.data, "5b10a2844c20165700ede21g")


def test_an_email_someone_else_has_is_a_line_error(org, tmp_path, capsys):
    org.ian.email = "ian@example.com"
    org.ian.save()
    csv_file = write(tmp_path, HEADER + f"{org.jo.employee_id},Jo,IAN@example.com,,ic,2,,\n")
    _, err = import_error(csv_file, capsys)
    other = org.ian.employee_id
    assert f"line 2: email 'IAN@example.com': Another person (employee_id {other})" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        (
            "employee_id,full_name\nX,Y\n",
            "lacks the required column(s) track, level (required: employee_id, full_name, "
            "track, level; optional: email, jira_account_id, department, step, is_active, "
            "transfer_to)",
        ),
        ("employee_id,full_name,track,level,Level\nX,Y,ic,3,4\n", "names level more than once"),
    ],
)
def test_unusable_headers_are_refused_before_any_row(db, tmp_path, content, message):
    with pytest.raises(CommandError) as exc:
        call_command("import_people", write(tmp_path, content))
    assert message in str(exc.value)


def test_a_header_missing_a_column_exits_non_zero_with_the_message(db, tmp_path, capsys):
    """As `manage.py import_people` runs it: the message on stderr, exit status 1."""
    csv_file = write(tmp_path, "employee_id,full_name,track\nX,Y,ic\n")
    with pytest.raises(SystemExit) as exc:
        ImportPeople().run_from_argv(["manage.py", "import_people", csv_file])
    assert exc.value.code == 1
    assert "lacks the required column(s) level" in capsys.readouterr().err


def test_column_names_ignore_case_and_unknown_columns_are_named(db, tmp_path, capsys):
    csv_file = write(tmp_path, "Employee_ID,Full_Name,Track,Level,Team\nN-1,Nora,IC,3,Blue\n")
    call_command("import_people", csv_file)
    assert "Ignoring the column(s) 'team'" in capsys.readouterr().err
    assert Person.objects.get(employee_id="N-1").full_name == "Nora"


def test_a_line_with_too_few_cells_is_refused(db, tmp_path, capsys):
    message, err = import_error(write(tmp_path, HEADER + "N-1,Nora,,,ic\n"), capsys)
    assert "line 2: 5 cells, the header has 8" in err
    assert "nothing was imported" in message


def test_missing_and_non_utf8_files(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_people", str(tmp_path / "nope.csv"))
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "N-1,J\xf6rg,,,ic,3,1,1\n").encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_people", str(path))


# The no-orphans guard ------------------------------------------------------------------

GUARD_HEADER = "employee_id,full_name,track,level,is_active,transfer_to\n"


def test_deactivating_a_holder_is_refused_by_line_and_nothing_is_written(org, tmp_path, capsys):
    csv_file = write(
        tmp_path,
        GUARD_HEADER
        + f"{org.jo.employee_id},Jo Junior,ic,3,true,\n"
        + f"{org.lea.employee_id},Lea Lead,ic,4,false,\n",
    )
    message, err = import_error(csv_file, capsys)
    assert "1 of 2 rows are invalid; nothing was imported" in message
    [line] = err.strip().splitlines()
    assert line.startswith("line 3: is_active 'false': Lea Lead still holds 1 item(s): ")
    assert "Tech Lead of Platform" in line
    assert Person.objects.get(pk=org.jo.pk).level == 2
    assert Person.objects.get(pk=org.lea.pk).is_active


def test_deactivating_a_holder_with_transfer_to_hands_over_first(org, tmp_path, capsys):
    from techleads.models import TechLeadAssignment

    csv_file = write(
        tmp_path,
        GUARD_HEADER + f"{org.lea.employee_id},Lea Lead,ic,4,false,{org.ian.employee_id}\n",
    )
    call_command("import_people", csv_file)
    assert "1 updated" in capsys.readouterr().out
    assert not Person.objects.get(pk=org.lea.pk).is_active
    assert TechLeadAssignment.objects.get(department=org.platform, ended_at=None).person == org.ian


def test_moving_the_lead_needs_transfer_to(org, tmp_path, capsys):
    header = "employee_id,full_name,track,level,department,transfer_to\n"
    row = f"{org.lea.employee_id},Lea Lead,ic,4,data,"
    message, err = import_error(write(tmp_path, header + row + "\n"), capsys)
    assert "line 2: department 'data': Lea Lead still holds" in err

    call_command("import_people", write(tmp_path, header + row + org.ian.employee_id + "\n"))
    assert Person.objects.get(pk=org.lea.pk).department == org.data
