import pytest
from django.core.management import CommandError, call_command

from departments.models import AuditEntry, Person

pytestmark = pytest.mark.django_db

HEADER = "employee_id,full_name,email,department,track,level,step,is_active\n"


def write(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "people.csv"
    path.write_text(text, encoding=encoding)
    return str(path)


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


def test_bad_rows_are_reported_by_line_and_nothing_is_written(org, tmp_path, capsys):
    csv_file = write(
        tmp_path,
        HEADER
        + "N-1,Nora Nilsen,nora@example.com,platform,ic,3,2,true\n"
        + "N-2,,not-an-email,atlantis,wizard,-2,1,true\n",
    )
    with pytest.raises(CommandError, match="1 of 2 rows are invalid; nothing was imported"):
        call_command("import_people", csv_file)
    err = capsys.readouterr().err
    assert "line 3:" in err
    for field in ("full_name", "email", "department", "track", "level"):
        assert field in err
    assert not Person.objects.filter(employee_id__in=["N-1", "N-2"]).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("employee_id,full_name\nX,Y\n", "lacks the column(s) level, track"),
    ],
)
def test_unusable_files_get_a_clear_message(db, tmp_path, content, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("import_people", write(tmp_path, content))


def test_missing_and_non_utf8_files(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_people", str(tmp_path / "nope.csv"))
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "N-1,J\xf6rg,,,ic,3,1,1\n").encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_people", str(path))
