"""The policy's dashboard pages: everyone reads the rules; HR changes them in two steps,
the impact first (root conftest's organisation: Lea, IC L4, leads Platform; Ian IC L3;
Jo IC L2; Dana IC L5)."""

import pytest
from django.urls import reverse

from departments.models import AuditEntry
from techleads.models import EligibilityRule

pytestmark = pytest.mark.django_db

RULES = reverse("dashboard:rules")
ADD = reverse("dashboard:rule_add")


def ic_rule() -> EligibilityRule:
    return EligibilityRule.objects.get(track="ic", min_level=3)


def edit_url(rule) -> str:
    return reverse("dashboard:rule", args=[rule.pk])


def remove_url(rule) -> str:
    return reverse("dashboard:rule_remove", args=[rule.pk])


def rule_data(rule, **changes) -> dict:
    data = {
        "track": rule.track,
        "min_level": rule.min_level,
        "max_level": rule.max_level or "",
        "min_step": rule.min_step,
        "max_step": rule.max_step or "",
        "verdict": rule.verdict,
        "priority": rule.priority,
        "explanation": rule.explanation,
        "is_active": "on",
    }
    return {**data, **changes}


def shown(response) -> str:
    return response.context["form"]["previewed"].value()


@pytest.fixture
def as_role(client, org):
    def login(username):
        users = {"hr": org.hr, "maya": org.maya.user, "lea": org.lea.user, "ian": org.ian.user}
        client.force_login(users[username])
        return client

    return login


@pytest.mark.parametrize("role", ["hr", "maya", "lea", "ian"])
def test_everyone_reads_the_rules_and_only_hr_is_offered_changes(as_role, role):
    page = as_role(role).get(RULES).content.decode()
    assert "Individual Contributor Level 3+" in page
    assert ("Add a rule" in page) is (role == "hr")


@pytest.mark.parametrize("role", ["maya", "lea", "ian"])
def test_others_cannot_change_or_remove_a_rule(as_role, role):
    client = as_role(role)
    rule = ic_rule()
    assert client.get(edit_url(rule)).status_code == 403
    assert client.post(edit_url(rule), rule_data(rule, min_level=9)).status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.post(remove_url(rule), {"confirm": "on"}).status_code == 403
    assert EligibilityRule.objects.get(pk=rule.pk).min_level == 3


def test_anonymous_visitors_are_sent_to_log_in(client, org):
    assert client.get(RULES).status_code == 302
    assert client.get(edit_url(ic_rule())).status_code == 302


def test_a_change_affecting_a_lead_is_shown_then_confirmed(as_role):
    hr = as_role("hr")
    rule = ic_rule()
    first = hr.post(edit_url(rule), rule_data(rule, min_level=5))
    assert first.status_code == 200
    page = first.content.decode()
    assert "Lea Lead, Tech Lead of Platform: eligible → ineligible" in page
    assert "Ian Engineer" in page and "Dana Data" not in page
    assert 'type="checkbox" name="confirm"' in page
    assert EligibilityRule.objects.get(pk=rule.pk).min_level == 3

    unconfirmed = rule_data(rule, min_level=5, previewed=shown(first))
    second = hr.post(edit_url(rule), unconfirmed)
    assert "confirm it" in second.content.decode()
    assert EligibilityRule.objects.get(pk=rule.pk).min_level == 3

    done = hr.post(edit_url(rule), {**unconfirmed, "confirm": "on"}, follow=True)
    assert done.redirect_chain[-1][0] == RULES
    assert "2 stopped being assignable, 1 active Tech Leads affected" in done.content.decode()
    entry = AuditEntry.objects.get(verb="eligibility_rule.update")
    assert entry.after["counts"] == {"gains": 0, "losses": 2, "leads_affected": 1}


def test_a_change_without_a_lead_affected_needs_no_confirmation(as_role):
    hr = as_role("hr")
    data = rule_data(ic_rule(), min_level=2, max_level=2, priority=5, explanation="Juniors lead")
    first = hr.post(ADD, data)
    page = first.content.decode()
    assert "Jo Junior" in page and 'type="checkbox" name="confirm"' not in page
    assert hr.post(ADD, {**data, "previewed": shown(first)}).status_code == 302
    assert AuditEntry.objects.get(verb="eligibility_rule.create").after["counts"]["gains"] == 1


def test_an_invalid_rule_is_refused_beside_its_field_without_a_preview(as_role):
    hr = as_role("hr")
    rule = ic_rule()
    response = hr.post(edit_url(rule), rule_data(rule, max_level=1))
    page = response.content.decode()
    assert "Maximum level must not be below the minimum level." in page
    assert "Impact of this change" not in page


def test_removing_a_rule_shows_its_impact_and_asks_for_confirmation(as_role):
    hr = as_role("hr")
    rule = ic_rule()
    page = hr.get(remove_url(rule))
    assert "Lea Lead, Tech Lead of Platform: eligible → ineligible" in page.content.decode()
    refused = hr.post(remove_url(rule), {"previewed": shown(page)})
    assert refused.status_code == 200 and EligibilityRule.objects.filter(pk=rule.pk).exists()
    assert hr.post(remove_url(rule), {"previewed": shown(page), "confirm": "on"}).status_code == 302
    assert not EligibilityRule.objects.filter(pk=rule.pk).exists()
    entry = AuditEntry.objects.get(verb="eligibility_rule.delete")
    assert entry.after["counts"] == {"gains": 0, "losses": 3, "leads_affected": 1}


@pytest.mark.parametrize("extra", [5, 30])
def test_the_preview_page_runs_a_bounded_number_of_queries(
    as_role, org, extra, django_assert_max_num_queries
):
    from departments.tests.factories import DepartmentFactory, PersonFactory
    from techleads.services import assignment_create

    for _ in range(extra):
        department = DepartmentFactory()
        people = PersonFactory.create_batch(3, department=department, level=3)
        assignment_create(department=department, person=people[0], assigned_by=org.hr, reason="x")
    hr = as_role("hr")
    rule = ic_rule()
    # Session and user, HR's group (twice: the view, the menu), the rule, its three range
    # checks (each in a savepoint), the preview's four, the messages: 17 at either size.
    with django_assert_max_num_queries(20):
        response = hr.post(edit_url(rule), rule_data(rule, min_level=4))
    assert f"{1 + 3 * extra} people stop being assignable" in response.content.decode()
