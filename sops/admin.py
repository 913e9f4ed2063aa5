from django import forms
from django.contrib import admin

from departments.admin import HRAdminMixin, ReadOnlyInline, ServiceAdminMixin, changed_values

from .models import (
    Document,
    DocumentReview,
    Notification,
    ProcessAcknowledgement,
    ReviewPolicy,
    StalenessRun,
)
from .selectors import review_interval_for
from .services import document_create, document_update


class ReviewInline(ReadOnlyInline):
    model = DocumentReview
    fields = ["reviewed_at", "outcome", "material", "reviewer", "notes"]
    ordering = ["-reviewed_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "title",
            "kind",
            "department",
            "owner",
            "url",
            "description",
            "review_interval_days",
            "last_reviewed_at",
            "involved_departments",
        ]

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


@admin.register(Document)
class DocumentAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = DocumentForm
    list_display = ["title", "kind", "department", "owner", "status", "next_review_at"]
    list_filter = ["status", "kind", "department"]
    search_fields = ["title", "url"]
    autocomplete_fields = ["department", "owner", "involved_departments"]
    list_select_related = ["department", "owner"]
    readonly_fields = ["status", "next_review_at", "archived_at", "version"]
    inlines = [ReviewInline]
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        return [*DocumentForm.Meta.fields, *self.readonly_fields]

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


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "subject", "emailed_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["subject", "recipient__full_name"]
    list_select_related = ["recipient"]
