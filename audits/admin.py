"""Back office for providers and the audit question bank.

A published question bank is never edited in place: "Copy into a new draft version" makes an
editable copy, and "Publish" makes new audits use it. Audits keep the version they were made with.
Audits and confirmations are looked at here, never changed: they are signed records.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from apcase.admin import ReadOnlyAdmin, SchoolScopedAdmin, ScopedInline
from audits.models import (
    Audit,
    AuditQuestion,
    AuditSection,
    Provider,
    ProviderAccessEvent,
    ProviderOrganisation,
    ProviderSite,
    ProviderStaff,
    QuestionBank,
    SafeguardingConfirmation,
)
from audits.services import question_bank_new_version, question_bank_publish


class ProviderSiteInline(admin.TabularInline):
    model = ProviderSite
    extra = 0
    fields = ["name", "address", "postcode", "is_main"]


@admin.register(Provider)
class ProviderAdmin(SchoolScopedAdmin):
    list_display = ["name", "kind", "school", "registration", "is_active"]
    list_filter = ["kind", "is_active", "registration"]
    list_select_related = ["school"]
    search_fields = ["name", "contact_name", "urn", "ukprn"]
    # The signed agreement is downloaded from the provider page, where access is checked and logged.
    exclude = ["agreement_document"]
    # The organisation is matched by URN, UKPRN or name (audits.models.organisation_match) and is
    # shared with other schools: nobody re-points it by hand in the back office.
    readonly_fields = ["registration_checked_on", "registration_checked_by", "organisation"]
    inlines = [ProviderSiteInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


# --- Provider bodies and their portal staff (docs/portal.md) ---------------------------------------


@admin.register(ProviderOrganisation)
class ProviderOrganisationAdmin(SchoolScopedAdmin):
    """A provider body is shared by every school that lists it: an office sees those its own
    schools list, and only a superuser changes one (an office editing it would change what other
    schools see). Each school keeps its own details on its directory entry."""

    school_path = "directory_entries__school"
    list_display = ["name", "urn", "ukprn", "postcode", "email", "phone"]
    search_fields = ["name", "urn", "ukprn"]

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)


class ProviderAccessEventInline(ScopedInline):
    model = ProviderAccessEvent
    fields = ("at", "kind", "by", "ip_address")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProviderStaff)
class ProviderStaffAdmin(ReadOnlyAdmin):
    """Who has portal access, with their access log; read-only for everyone, the superuser too:
    inviting, suspending and removing go through the provider's portal-access page, whose services
    e-mail the person and write the access log."""

    school_path = "organisation__directory_entries__school"
    list_display = ["user", "organisation", "job_title", "status", "accepted_at"]
    list_filter = ["status"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "organisation__name"]
    exclude = ["invite_token_hash"]
    inlines = [ProviderAccessEventInline]


class ReadOnlyRecordAdmin(ReadOnlyAdmin):
    school_path = "provider__school"


@admin.register(SafeguardingConfirmation)
class SafeguardingConfirmationAdmin(ReadOnlyRecordAdmin):
    list_display = ["provider", "signed_on", "expires_on", "confirmed_by_name"]
    list_select_related = ["provider"]
    exclude = ["signed_copy"]


@admin.register(Audit)
class AuditAdmin(ReadOnlyRecordAdmin):
    list_display = ["provider", "visit_date", "version", "status", "suitable", "bank"]
    list_filter = ["status"]
    list_select_related = ["provider", "bank"]


class PublishedVersionLock(admin.options.BaseModelAdmin):
    """Refuses changes to anything in a published version of the questions.

    obj is the version itself, or (bank_path set) a record of it: a section, or an inline's parent.
    """

    bank_path: str | None = None

    def is_locked(self, obj) -> bool:
        bank = getattr(obj, self.bank_path) if obj is not None and self.bank_path else obj
        return bank is not None and bank.is_published

    def has_change_permission(self, request, obj=None):
        return not self.is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.is_locked(obj) and super().has_delete_permission(request, obj)


class LockedInline(PublishedVersionLock, admin.options.InlineModelAdmin):
    def has_add_permission(self, request, obj=None):
        return not self.is_locked(obj) and super().has_add_permission(request, obj)


class AuditSectionInline(LockedInline, admin.TabularInline):
    model = AuditSection
    extra = 0
    fields = ["order", "title"]
    show_change_link = True


@admin.register(QuestionBank)
class QuestionBankAdmin(PublishedVersionLock, SimpleHistoryAdmin):
    list_display = ["__str__", "published_at", "question_count", "audit_count"]
    readonly_fields = ["version", "published_at"]
    inlines = [AuditSectionInline]
    actions = ["copy_to_new_version", "publish"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(questions=Count("sections__questions", distinct=True), audits_made=Count("audits", distinct=True))
        )

    @admin.display(description="Questions", ordering="questions")
    def question_count(self, bank):
        return bank.questions

    @admin.display(description="Audits made with it", ordering="audits_made")
    def audit_count(self, bank):
        return bank.audits_made

    def has_add_permission(self, request):
        return False  # a new version starts as a copy of an existing one

    def has_manage_permission(self, request):
        return request.user.is_superuser

    @admin.action(description="Copy into a new draft version", permissions=["manage"])
    def copy_to_new_version(self, request, queryset):
        for bank in queryset:
            copy = question_bank_new_version(actor=request.user, source=bank)
            self.message_user(request, f"Version {copy.version} created as a draft copy of version {bank.version}.")

    @admin.action(description="Publish: new audits will use it", permissions=["manage"])
    def publish(self, request, queryset):
        for bank in queryset:
            try:
                question_bank_publish(actor=request.user, bank=bank)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, f"Version {bank.version} is published.")


class AuditQuestionInline(LockedInline, admin.StackedInline):
    model = AuditQuestion
    extra = 0
    fields = ["order", "text", "guidance"]
    bank_path = "bank"  # the parent is a section


@admin.register(AuditSection)
class AuditSectionAdmin(PublishedVersionLock, SimpleHistoryAdmin):
    list_display = ["title", "bank", "order"]
    list_filter = ["bank"]
    list_select_related = ["bank"]
    inlines = [AuditQuestionInline]
    bank_path = "bank"

    def get_readonly_fields(self, request, obj=None):
        return ["bank"] if obj is not None else []  # a section stays in its version
