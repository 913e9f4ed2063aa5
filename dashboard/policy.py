"""Dashboard pages of the eligibility policy: everyone reads the rules; HR adds, changes and
removes them, each change shown with its impact before it is saved and confirmed when it
moves an active Tech Lead's verdict (the admin's two steps, through the same forms)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from departments.forms import perform_form
from departments.selectors import user_is_hr
from techleads.forms import EligibilityRuleDeleteForm, EligibilityRuleForm
from techleads.models import EligibilityRule
from techleads.services import eligibility_rule_delete, eligibility_rule_save

from .lists import require_hr

REFUSAL = "Only HR can change the eligibility policy."


def impact_words(counts: dict[str, int]) -> str:
    return (
        f"{counts['gains']} became assignable, {counts['losses']} stopped being assignable, "
        f"{counts['leads_affected']} active Tech Leads affected"
    )


@login_required
def rule_list(request):
    rules = EligibilityRule.objects.order_by("priority", "id")
    context = {"rules": rules, "is_hr": user_is_hr(request.user), "active": "explorer"}
    return render(request, "dashboard/rules.html", context)


@login_required
def rule_edit(request, pk=None):
    """Add a rule (no `pk`) or change one: the first save of a change with an impact shows
    it, the second saves it."""
    require_hr(request, REFUSAL)
    rule = get_object_or_404(EligibilityRule, pk=pk) if pk else EligibilityRule()
    title = f"Change the rule “{rule}”" if pk else "Add an eligibility rule"
    form = EligibilityRuleForm(request.POST if request.method == "POST" else None, instance=rule)
    if request.method == "POST" and perform_form(
        request,
        form,
        lambda _: eligibility_rule_save(actor=request.user, rule=form.instance),
        lambda saved: f"Saved the rule “{saved}” ({impact_words(form.preview.counts)}).",
    ):
        return redirect("dashboard:rules")
    context = {"form": form, "title": title, "button": "Save the rule", "active": "explorer"}
    return render(request, "dashboard/rule_form.html", context)


@login_required
def rule_remove(request, pk):
    """Remove a rule: the page shows the impact; removing needs the confirmation when it
    moves an active Tech Lead's verdict."""
    require_hr(request, REFUSAL)
    rule = get_object_or_404(EligibilityRule, pk=pk)
    form = EligibilityRuleDeleteForm(request.POST if request.method == "POST" else None, rule=rule)
    if request.method == "POST" and perform_form(
        request,
        form,
        lambda _: eligibility_rule_delete(actor=request.user, rule=rule),
        lambda impact: f"Removed the rule “{rule}” ({impact_words(impact.counts)}).",
    ):
        return redirect("dashboard:rules")
    context = {
        "form": form,
        "title": f"Remove the rule “{rule}”",
        "button": "Remove the rule",
        "active": "explorer",
    }
    return render(request, "dashboard/rule_form.html", context)
