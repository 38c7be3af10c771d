"""Back office: the office keeps pupils and contacts; referrals, approvals and the chronology are
read-only here because they change only through their services (which write the chronology)."""

from django.contrib import admin

from apcase.admin import ReadOnlyAdmin, RetainedRecordMixin, SchoolScopedAdmin, ScopedChoicesMixin
from pupils.models import Approval, CaseEvent, Contact, ImportBatch, Pupil, Referral


class ContactInline(RetainedRecordMixin, ScopedChoicesMixin, admin.StackedInline):
    model = Contact
    extra = 0


@admin.register(Pupil)
class PupilAdmin(RetainedRecordMixin, SchoolScopedAdmin):
    list_display = ["legal_last_name", "legal_first_name", "upn", "year_group", "registration_group", "school"]
    list_filter = ["year_group", "sen_provision", "looked_after"]
    list_select_related = ["school"]
    search_fields = ["legal_last_name", "legal_first_name", "preferred_first_name", "upn"]
    autocomplete_fields = ["class_teacher", "key_adults"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(RetainedRecordMixin, SchoolScopedAdmin):
    school_path = "pupil__school"
    list_display = ["name", "relationship", "pupil", "priority", "do_not_contact"]
    list_select_related = ["pupil"]
    search_fields = ["name", "pupil__legal_last_name"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "status", "raised_by", "raised_at", "recommendation", "school"]
    list_filter = ["status", "recommendation", "safeguarding_concern"]
    list_select_related = ["pupil", "raised_by", "school"]


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    list_display = ["summary", "kind", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["requested_by", "decided_by"]
    exclude = ["content_type", "object_id"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "pupil", "kind", "summary", "actor"]
    list_filter = ["kind"]
    list_select_related = ["pupil", "actor"]
    date_hierarchy = "occurred_at"


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["uploaded_at", "original_name", "uploaded_by", "status", "created_count", "updated_count"]
    list_select_related = ["uploaded_by"]
    exclude = ["file"]
