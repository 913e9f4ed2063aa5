from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from departments.admin_base import (
    AutocompleteFilter,
    HRAdminMixin,
    ReadOnlyInline,
    ServiceAdminMixin,
    buttons,
    changed_values,
)
from departments.errors import DomainError

from .constants import DOCUMENT_EDIT_FIELDS, ReviewOutcome
from .models import (
    Document,
    DocumentReview,
    Notification,
    ProcessAcknowledgement,
    ReviewPolicy,
    StalenessRun,
)
from .selectors import review_interval_for
from .services import (
    document_create,
    document_review_record,
    document_update,
    staleness_check_request,
)

REVIEWED_LATER = (
    "Only when importing existing documentation: when it was last reviewed (blank: now). "
    "Afterwards the clock moves only by a review: Mark reviewed."
)


class ReviewInline(ReadOnlyInline):
    model = DocumentReview
    fields = ["reviewed_at", "outcome", "material", "reviewer", "notes"]
    ordering = ["-reviewed_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = [*DOCUMENT_EDIT_FIELDS, "involved_departments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "review_interval_days" in self.fields:
            field = self.fields["review_interval_days"]
            field.required = False
            field.help_text = "Blank: the department's policy for this kind, else the default."

    def clean(self):
        data = super().clean()
        if not data.get("review_interval_days") and data.get("department") and data.get("kind"):
            data["review_interval_days"] = review_interval_for(
                department=data["department"], kind=data["kind"]
            )
        return data


class ReviewForm(forms.Form):
    """The admin's face of `document_review_record`, as the dashboard's and the API's."""

    outcome = forms.ChoiceField(
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        help_text="Confirmed or updated resets the review clock; retired archives it.",
    )
    material = forms.BooleanField(
        required=False, label="Material change (people must acknowledge it again)"
    )
    notes = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(Document)
class DocumentAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = DocumentForm
    list_display = ["title", "kind", "department", "owner", "status", "next_review_at"]
    list_filter = ["status", "kind", ("department", AutocompleteFilter)]
    search_fields = ["title", "url"]
    autocomplete_fields = ["department", "owner", "involved_departments"]
    list_select_related = ["department", "owner"]
    readonly_fields = ["status", "next_review_at", "archived_at", "version"]
    inlines = [ReviewInline]
    actions = ["mark_reviewed"]
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        fields = [*DocumentForm.Meta.fields, *self.readonly_fields]
        return fields if obj is None else [*fields, "review"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # A review moves the clock, through the review service: never an edited date.
        return ["last_reviewed_at", *self.readonly_fields, "review"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "last_reviewed_at" in form.base_fields:
            form.base_fields["last_reviewed_at"].help_text = REVIEWED_LATER
        return form

    @admin.display(description="Review")
    def review(self, document):
        if document.archived_at is not None:
            return "Archived: it is reviewed no more."
        return buttons(document.pk, ("Mark reviewed…", "admin:sops_document_review"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/review/", view(self.review_view), name="sops_document_review"),
            *super().get_urls(),
        ]

    def _review(self, request, document, data) -> str | None:
        """Record one review through the service; the refusal's reason, or None."""
        try:
            document_review_record(
                document=document,
                actor=request.user,
                outcome=data["outcome"],
                notes=data["notes"],
                material=data["material"],
            )
        except DomainError as exc:
            return exc.message
        outcome = ReviewOutcome(data["outcome"]).label.lower()
        self.log_change(request, document, f"Marked reviewed: {outcome}.")
        return None

    def _review_page(self, request, form, documents, *, action=False):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Mark reviewed",
            "form": form,
            "documents": documents,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/sops/document_review.html", context)

    def review_view(self, request, pk):
        document = get_object_or_404(Document.objects.select_related("department"), pk=pk)
        if not self.has_change_permission(request, document):
            raise PermissionDenied("Only HR marks documents reviewed in the admin.")
        form = ReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            error = self._review(request, document, form.cleaned_data)
            if error is None:
                outcome = ReviewOutcome(form.cleaned_data["outcome"]).label.lower()
                self.message_user(request, f"{document}: {outcome}.", messages.SUCCESS)
                return redirect("admin:sops_document_change", document.pk)
            form.add_error(None, error)
        return self._review_page(request, form, [document])

    @admin.action(description="Mark reviewed…", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        """An intermediate page asks for the outcome and notes, then reviews each one."""
        documents = list(queryset.select_related("department").order_by("title"))
        form = ReviewForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._review_page(request, form, documents, action=True)
        done = 0
        for document in documents:
            error = self._review(request, document, form.cleaned_data)
            if error is None:
                done += 1
            else:
                self.message_user(request, f"{document}: {error}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} document(s) reviewed.", messages.SUCCESS)
        return None

    def service_save(self, request, instance, form, change):
        if change:
            return document_update(actor=request.user, document=instance, **changed_values(form))
        data = dict(form.cleaned_data)
        data["involved_departments"] = list(data.get("involved_departments") or [])
        if data.get("last_reviewed_at") is None:
            data.pop("last_reviewed_at", None)  # just written: counts as reviewed now
        return document_create(actor=request.user, **data)


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(HRAdminMixin, admin.ModelAdmin):
    list_display = ["department", "kind", "review_interval_days"]
    list_filter = ["kind"]
    autocomplete_fields = ["department"]


class ReadOnlyAdmin(HRAdminMixin, admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProcessAcknowledgement)
class ProcessAcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["document", "person", "version", "acknowledged_at"]
    list_select_related = ["document", "person"]
    search_fields = ["document__title", "person__full_name"]


@admin.register(StalenessRun)
class StalenessRunAdmin(ReadOnlyAdmin):
    list_display = [
        "started_at",
        "duration_ms",
        "documents_checked",
        "status_changes",
        "notifications_sent",
        "errors",
    ]
    # "Run the staleness check now": queued through the outbox (sops.services).
    change_list_template = "admin/sops/stalenessrun/change_list.html"

    def get_urls(self):
        run_now = self.admin_site.admin_view(self.run_now_view)
        return [
            path("run-now/", run_now, name="sops_stalenessrun_run_now"),
            *super().get_urls(),
        ]

    def run_now_view(self, request):
        if request.method != "POST":
            return redirect("admin:sops_stalenessrun_changelist")
        try:
            staleness_check_request(actor=request.user)
        except DomainError as exc:
            raise PermissionDenied(exc.message) from exc
        self.message_user(
            request,
            "The staleness check is queued; its run appears here when it has finished.",
            messages.SUCCESS,
        )
        return redirect("admin:sops_stalenessrun_changelist")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "subject", "emailed_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["subject", "recipient__full_name"]
    list_select_related = ["recipient"]
