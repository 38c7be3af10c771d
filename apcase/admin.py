import csv

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpResponse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from apcase.access import school_ids_for
from apcase.models import (
    AcademicYear,
    Closure,
    Document,
    HalfTerm,
    Membership,
    Notification,
    RecordAccess,
    Role,
    School,
    Trust,
    User,
)


def office_school_ids(request) -> set[int]:
    return school_ids_for(request.user, [Role.OFFICE])


class SchoolScopedAdmin(SimpleHistoryAdmin):
    """The back office shows school office staff their own schools' records only.

    school_path is the lookup from the model to its school's id.
    """

    school_path = "school"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.school_path}__in": office_school_ids(request)}).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is School and not request.user.is_superuser:
            kwargs["queryset"] = School.objects.filter(id__in=office_school_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "school" and not request.user.is_superuser:
            kwargs["queryset"] = School.objects.filter(id__in=office_school_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class ApcaseUserAdmin(UserAdmin, SchoolScopedAdmin):
    school_path = "memberships__school"
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff", "last_login"]
    fieldsets = UserAdmin.fieldsets + (("apcase", {"fields": ["job_title", "reminder_delivery"]}),)
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # Office staff manage people and roles, never back-office powers (their own included).
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["is_superuser", "is_staff", "groups", "user_permissions", "last_login", "date_joined"]


@admin.register(Trust)
class TrustAdmin(SimpleHistoryAdmin):
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(SchoolScopedAdmin):
    school_path = "id"
    list_display = ["name", "urn", "la_code", "trust"]
    search_fields = ["name", "urn"]
    list_select_related = ["trust"]
    inlines = [MembershipInline]


class HalfTermInline(admin.TabularInline):
    model = HalfTerm
    extra = 0


@admin.register(AcademicYear)
class AcademicYearAdmin(SchoolScopedAdmin):
    list_display = ["label", "school", "start_date", "end_date"]
    list_filter = ["label"]
    list_select_related = ["school"]
    search_fields = ["school__name"]
    inlines = [HalfTermInline]


@admin.register(Closure)
class ClosureAdmin(SchoolScopedAdmin):
    list_display = ["date", "kind", "reason", "school"]
    list_filter = ["kind"]
    list_select_related = ["school"]
    date_hierarchy = "date"


@admin.register(Document)
class DocumentAdmin(SchoolScopedAdmin):
    """Issued documents are evidence: they can be looked at, never edited."""

    list_display = ["title", "kind", "school", "created_by", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["school", "created_by"]
    readonly_fields = [
        "public_id",
        "school",
        "kind",
        "title",
        "sha256",
        "size",
        "content_type",
        "created_by",
        "created_at",
    ]
    exclude = ["file"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at"]
    list_select_related = ["user"]
    list_filter = ["kind"]


@admin.action(description="Export the selected entries as CSV")
def export_access_log_csv(modeladmin, request, queryset):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="record-access-log.csv"'
    writer = csv.writer(response)
    writer.writerow(["When (Europe/London)", "User", "Action", "Record type", "Record id", "Path", "IP address"])
    for entry in queryset.select_related("user", "content_type").order_by("-at").iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
                entry.user.username if entry.user else "",
                entry.get_action_display(),
                entry.content_type.model,
                entry.object_id,
                entry.path,
                entry.ip_address or "",
            ]
        )
    return response


@admin.register(RecordAccess)
class RecordAccessAdmin(admin.ModelAdmin):
    actions = [export_access_log_csv]
    list_display = ["at", "user", "action", "content_type", "object_id", "ip_address"]
    list_filter = ["action", "content_type"]
    list_select_related = ["user", "content_type"]
    search_fields = ["user__username", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(school_id__in=office_school_ids(request))
