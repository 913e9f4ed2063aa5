"""The policy in the admin: a change's impact is shown before it is saved, and a change
that moves an active Tech Lead's verdict needs an explicit confirmation (root conftest's
organisation: Lea, IC L4, leads Platform; Ian IC L3; Jo IC L2)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from departments.models import AuditEntry
from techleads.models import EligibilityRule

pytestmark = pytest.mark.django_db

ADD = reverse("admin:techleads_eligibilityrule_add")


def change_url(rule):
    return reverse("admin:techleads_eligibilityrule_change", args=[rule.pk])


def delete_url(rule):
    return reverse("admin:techleads_eligibilityrule_delete", args=[rule.pk])


def ic_rule() -> EligibilityRule:
    return EligibilityRule.objects.get(track="ic", min_level=3)


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


def previewed(response) -> str:
    return response.context["adminform"].form["previewed"].value()


def test_the_first_save_shows_the_impact_and_saves_nothing(hr_client, org):
    rule = ic_rule()
    response = hr_client.post(change_url(rule), rule_data(rule, min_level=4))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Impact of this change" in page
    assert "Ian Engineer" in page and "Lea Lead" not in page  # Lea is level 4: no change
    assert "Review the impact of this change below" in page
    assert EligibilityRule.objects.get(pk=rule.pk).min_level == 3
    assert not AuditEntry.objects.filter(verb__startswith="eligibility_rule.").exists()

    saved = hr_client.post(
        change_url(rule), rule_data(rule, min_level=4, previewed=previewed(response))
    )
    assert saved.status_code == 302
    entry = AuditEntry.objects.get(verb="eligibility_rule.update")
    assert entry.after["counts"] == {"gains": 0, "losses": 1, "leads_affected": 0}
    history = LogEntry.objects.get(object_id=str(rule.pk)).get_change_message()
    assert history == "Changed Min level."  # the review's own fields are not the change


def test_a_change_affecting_a_lead_needs_the_confirmation(hr_client, org):
    rule = ic_rule()
    first = hr_client.post(change_url(rule), rule_data(rule, min_level=5))
    page = first.content.decode()
    assert "Lea Lead, Tech Lead of Platform: eligible → ineligible" in page
    assert "Ian Engineer" in page

    unconfirmed = rule_data(rule, min_level=5, previewed=previewed(first))
    second = hr_client.post(change_url(rule), unconfirmed)
    assert second.status_code == 200
    assert "moves the verdict of an active Tech Lead: confirm it" in second.content.decode()
    assert EligibilityRule.objects.get(pk=rule.pk).min_level == 3

    confirmed = hr_client.post(change_url(rule), {**unconfirmed, "confirm": "on"})
    assert confirmed.status_code == 302
    assert EligibilityRule.objects.get(pk=rule.pk).min_level == 5
    entry = AuditEntry.objects.get(verb="eligibility_rule.update")
    assert entry.after["counts"] == {"gains": 0, "losses": 2, "leads_affected": 1}


def test_an_edit_after_the_preview_is_previewed_again(hr_client, org):
    rule = ic_rule()
    first = hr_client.post(change_url(rule), rule_data(rule, min_level=4))
    again = hr_client.post(
        change_url(rule), rule_data(rule, min_level=5, previewed=previewed(first))
    )
    assert again.status_code == 200
    assert "Review the impact of this change below" in again.content.decode()
    assert EligibilityRule.objects.get(pk=rule.pk).min_level == 3


def test_a_change_without_impact_saves_at_once(hr_client, org):
    rule = ic_rule()
    response = hr_client.post(change_url(rule), rule_data(rule, explanation="Level 3+ ICs lead"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(verb="eligibility_rule.update")
    assert entry.after["counts"] == {"gains": 0, "losses": 0, "leads_affected": 0}


def test_a_new_rule_shows_who_it_makes_assignable(hr_client, org):
    data = rule_data(ic_rule(), min_level=2, max_level=2, priority=5, explanation="Juniors lead")
    first = hr_client.post(ADD, data)
    assert "Jo Junior" in first.content.decode()
    assert hr_client.post(ADD, {**data, "previewed": previewed(first)}).status_code == 302
    entry = AuditEntry.objects.get(verb="eligibility_rule.create")
    assert entry.after["counts"] == {"gains": 1, "losses": 0, "leads_affected": 0}


def test_removing_a_rule_shows_its_impact_and_needs_the_confirmation(hr_client, org):
    rule = ic_rule()
    page = hr_client.get(delete_url(rule))
    text = page.content.decode()
    assert "Lea Lead, Tech Lead of Platform: eligible → ineligible" in text
    assert "Dana Data" in text
    shown = page.context["form"]["previewed"].value()

    refused = hr_client.post(delete_url(rule), {"previewed": shown})
    assert refused.status_code == 200 and EligibilityRule.objects.filter(pk=rule.pk).exists()
    assert "confirm it" in refused.content.decode()

    done = hr_client.post(delete_url(rule), {"previewed": shown, "confirm": "on"})
    assert done.status_code == 302
    assert not EligibilityRule.objects.filter(pk=rule.pk).exists()
    entry = AuditEntry.objects.get(verb="eligibility_rule.delete")
    assert entry.after == {"counts": {"gains": 0, "losses": 3, "leads_affected": 1}}


def test_only_hr_reaches_the_rule_pages(client, org):
    org.maya.user.is_staff = True
    org.maya.user.save()
    client.force_login(org.maya.user)
    rule = ic_rule()
    assert client.get(change_url(rule)).status_code == 403
    assert client.post(delete_url(rule), {"confirm": "on"}).status_code == 403
    assert EligibilityRule.objects.filter(pk=rule.pk).exists()
