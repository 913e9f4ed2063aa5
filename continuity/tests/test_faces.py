"""Every place a person can change goes through continuity's guard."""

from django.contrib import admin
from django.urls import resolve

from continuity.admin import GuardedPersonAdmin
from continuity.api.views import GuardedPersonViewSet, HoldingsHandOverDepartmentViewSet
from continuity.services import person_change
from departments.models import Person


def test_the_people_api_is_continuitys():
    for path in ("/api/v1/people/1/", "/api/v1/people/bulk-upsert/", "/api/v1/people/1/transfer/"):
        assert resolve(path).func.cls is GuardedPersonViewSet
    assert GuardedPersonViewSet.update_service is person_change
    assert resolve("/api/v1/departments/1/handover/").func.cls is (
        HoldingsHandOverDepartmentViewSet
    )


def test_the_person_admin_is_continuitys():
    assert type(admin.site._registry[Person]) is GuardedPersonAdmin


def test_import_people_is_continuitys():
    from django.core.management import get_commands

    assert get_commands()["import_people"] == "continuity"
