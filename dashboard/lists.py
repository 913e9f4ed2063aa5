"""The dashboard's lists and forms: the API's FilterSet filters a list and its form is the
page's filter form (NetBox's pattern), a page of rows is shown at a time, and an action's
form calls one service whose refusal lands on the form."""

from copy import copy
from itertools import islice

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django_filters import FilterSet

# The action forms' helper, shared with the admin's role views.
from departments.forms import perform_form
from departments.selectors import user_is_hr
from techleads.selectors import departments_visible_to

PAGE_SIZE = 25
# Filters whose value is a department: on a page, a choice among the viewer's departments.
DEPARTMENT_FILTERS = ("department", "involved_department")
# At most this many departments are offered as a filter's choices (else a text field).
DEPARTMENT_CHOICES = 200


# A choice among more than this many rows is a text field for the id instead.
CHOICES_LIMIT = 200
_TEXT = {"inputmode": "numeric", "autocomplete": "off"}


class BoundedSelect(forms.Select):
    """A select of at most CHOICES_LIMIT options; beyond, a text field taking the id, so no
    form lists thousands of people or departments. Deciding reads at most CHOICES_LIMIT
    + 2 choices (the query is the one the select ran, iterated in chunks)."""

    def render(self, name, value, attrs=None, renderer=None):
        first = list(islice(iter(self.choices), CHOICES_LIMIT + 2))
        if len(first) > CHOICES_LIMIT + 1:
            text = forms.TextInput({**self.attrs, **_TEXT, "placeholder": "id"})
            return text.render(name, value, attrs, renderer)
        widget = copy(self)
        widget.choices = first
        return forms.Select.render(widget, name, value, attrs, renderer)


class BoundedSelectMultiple(forms.SelectMultiple):
    """BoundedSelect for several choices: beyond the limit, ids separated by commas."""

    def render(self, name, value, attrs=None, renderer=None):
        first = list(islice(iter(self.choices), CHOICES_LIMIT + 1))
        if len(first) > CHOICES_LIMIT:
            text = forms.TextInput({**self.attrs, **_TEXT, "placeholder": "ids, comma-separated"})
            joined = ",".join(str(v) for v in (value or []))
            return text.render(name, joined, attrs, renderer)
        widget = copy(self)
        widget.choices = first
        return forms.SelectMultiple.render(widget, name, value, attrs, renderer)

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        if len(values) == 1 and "," in values[0]:
            return [v.strip() for v in values[0].split(",") if v.strip()]
        return values


def bounded_choices(form):
    """Give `form`'s choices of rows (people, departments, projects) the bounded widgets."""
    if form is None:
        return None
    for field in form.fields.values():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        if type(field.widget) is forms.SelectMultiple:
            bounded = BoundedSelectMultiple(attrs=field.widget.attrs)
        elif type(field.widget) is forms.Select:
            bounded = BoundedSelect(attrs=field.widget.attrs)
        else:
            continue
        bounded.choices = field.widget.choices
        field.widget = bounded
    return form


def page_of(request, queryset, *, param: str = "page", size: int = PAGE_SIZE, count=None):
    """The page of `queryset` the `param` query parameter names (a page with two lists
    gives each its own parameter); a bad number is the first or the last page. `count`,
    when known without a COUNT query (from a summary), saves that query."""
    paginator = Paginator(queryset, size)
    if count is not None:
        paginator.count = count  # the cached property, given
    page = paginator.get_page(request.GET.get(param))
    page.param = param
    return page


def sort_list(filterset, orderings: dict, *, default: str):
    """The FilterSet's rows ordered by its form's `sort` choice (a field added here).

    `orderings` maps each choice to (label, a function ordering a queryset); an unknown
    choice is shown beside the field and sorts by `default`, as a malformed filter
    filters nothing.
    """
    form = filterset.form
    form.fields["sort"] = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(key, label) for key, (label, _) in orderings.items()],
    )
    chosen = default
    if form.is_bound:  # validates the filters and `sort` at once, before filterset.qs
        form.is_valid()
        # Not a filter: the FilterSet filters by every cleaned value it is left with.
        chosen = form.cleaned_data.pop("sort", None) or default
    return orderings[chosen][1](filterset.qs)


def filter_list(request, filterset_class: type[FilterSet], queryset, *, fields, hidden=()):
    """Filter `queryset` with the API's FilterSet, showing only `fields` (and `hidden`).

    A malformed value is shown beside its field and filters nothing; the others still do.
    """
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    form = filterset.form
    for name in list(form.fields):
        if name not in fields and name not in hidden:
            del form.fields[name]
    for name in hidden:
        form.fields[name].widget = forms.HiddenInput()
    offer_departments(form, request.user)
    return filterset


def offer_departments(form, user):
    """Department filters become a choice among the departments in the viewer's scope; a
    scope of more than DEPARTMENT_CHOICES departments (HR in a large organisation) gets a
    text field taking an id or a slug instead, so no page lists thousands of options."""
    names = [name for name in DEPARTMENT_FILTERS if name in form.fields]
    if names:
        visible = departments_visible_to(user).order_by("name")
        offered = list(visible.values_list("pk", "name")[: DEPARTMENT_CHOICES + 1])
        for name in names:
            if len(offered) > DEPARTMENT_CHOICES:
                by_id = isinstance(form.fields[name], forms.IntegerField)
                form.fields[name].widget = forms.TextInput(
                    attrs={"placeholder": "id" if by_id else "id or slug"}
                )
            else:
                form.fields[name].widget = forms.Select(choices=[("", "Any"), *offered])
    return form


def form_action(request, *, allowed: bool, refusal: str, form, perform, success, done, page):
    """A POST on an object's page: a role without the action gets a 403 (`refusal`); the
    form calls its service (perform_form); done, redirect to `done` (a URL name and its
    arguments); refused, `page(form)` shows the page again with the form's errors."""
    if not allowed:
        raise PermissionDenied(refusal)
    if perform_form(request, form, perform, success):
        return redirect(*done)
    return page(form)


def require_hr(request, refusal: str) -> None:
    """A 403 with `refusal` (what was refused, in the page's words) unless the viewer is HR."""
    if not user_is_hr(request.user):
        raise PermissionDenied(refusal)
