"""The back office's base classes. Least privilege (docs/security.md#the-back-office):

- every list and every page shows a non-superuser their own schools' records only;
- every foreign key and many-to-many picker offers only what the user could open in that model's
  own back-office page, and the same queryset is what the form accepts on save (a hand-edited id
  of something the picker hides is "Select a valid choice");
- the school office manages people only up to the roles it could give itself (never a head,
  SENDCo, DSL or trust-wide reach), never superusers, never passwords;
- nothing is deleted by a non-superuser unless an admin says so (`office_may_delete`): pupils and
  their contacts end through retention, never a delete.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from apcase.access import school_ids_for
from apcase.admin_site import SuperuserOnlyMixin
from apcase.exports import SafeCSVWriter
from apcase.forms import form_field
from apcase.models import (
    AcademicYear,
    Closure,
    Document,
    HalfTerm,
    LocalAuthority,
    LocalAuthorityOfficer,
    Membership,
    Notification,
    RecordAccess,
    Role,
    School,
    Trust,
    User,
)
from apcase.permissions import membership_manageable_by, person_manageable_by, roles_grantable_by
from apcase.services import membership_changes_record, user_password_reset_send
from apcase.two_factor import two_factor_reset


def office_school_ids(request) -> set[int]:
    return school_ids_for(request.user, [Role.OFFICE])


def scoped_choices(admin_site, model, request) -> models.QuerySet | None:
    """What a non-superuser may pick for a relation to `model`: exactly what that model's own
    back-office list shows them. A model with no back-office page of its own offers nothing (fail
    closed); None means "no restriction" (superusers)."""
    if request.user.is_superuser:
        return None
    model_admin = admin_site._registry.get(model)
    if model_admin is None:
        return model._default_manager.none()
    return model_admin.get_queryset(request)


class ScopedChoicesMixin(admin.options.BaseModelAdmin):
    """Restricts every relation picker (and so what the form accepts) to scoped_choices()."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = scoped_choices(self.admin_site, db_field.related_model, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = scoped_choices(self.admin_site, db_field.related_model, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class NoDeleteUnlessAllowedMixin(admin.options.BaseModelAdmin):
    office_may_delete = False  # records whose removal loses nothing a child's case needs

    def has_delete_permission(self, request, obj=None):
        allowed = request.user.is_superuser or self.office_may_delete
        return allowed and super().has_delete_permission(request, obj)


class RetainedRecordMixin:
    """Records about a child end through retention and anonymisation (pupils.retention), never a
    delete in the back office, whoever asks (docs/security.md#the-back-office)."""

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedInline(ScopedChoicesMixin, NoDeleteUnlessAllowedMixin, admin.TabularInline):
    """An inline whose pickers are scoped like the page it sits on."""

    extra = 0


class SchoolScopedAdmin(ScopedChoicesMixin, NoDeleteUnlessAllowedMixin, SimpleHistoryAdmin):
    """The back office shows school office staff their own schools' records only.

    school_path is the lookup from the model to its school's id.
    """

    school_path = "school"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.school_path}__in": office_school_ids(request)}).distinct()

    def history_view(self, request, object_id, extra_context=None):
        # simple-history finds the object without get_queryset() (and falls back to its last
        # historical copy): look it up in the user's scope first, so another school's id is a 404.
        if not request.user.is_superuser and not self._in_scope(request, object_id):
            raise Http404("No such record in your schools.")
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def _in_scope(self, request, object_id) -> bool:
        try:
            return self.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, ValidationError):
            return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not request.user.is_superuser:
            raise PermissionDenied("Old versions are opened from the record's history by an administrator.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin(SchoolScopedAdmin):
    """Records that change only through their services (which write the chronology)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- People and roles --------------------------------------------------------------------------


class MembershipAdminForm(forms.ModelForm):
    """A role in a school. A row the editor could not have given (a leader's role, trust-wide reach)
    is shown locked; a new or changed row is checked against the roles the editor may give."""

    editor: User  # set per request by MembershipInline.get_formset

    class Meta:
        model = Membership
        fields = ["user", "school", "role", "trust_wide", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = self.instance.pk is not None and not membership_manageable_by(self.editor, self.instance)
        if self.locked:
            for field in self.fields.values():
                field.disabled = True
        elif "role" in self.fields and not self.editor.is_superuser:
            grantable = set().union(
                *(roles_grantable_by(self.editor, sid) for sid in office_school_ids_of(self.editor))
            )
            role = form_field(self.fields, "role", forms.ChoiceField)
            role.choices = [("", "---------")] + [c for c in Role.choices if c[0] in grantable]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if self.locked:
            return cleaned
        school = cleaned.get("school") or (self.instance.school if self.instance.school_id else None)
        role = cleaned.get("role")
        if school is not None and role and role not in roles_grantable_by(self.editor, school.pk):
            self.add_error(
                "role",
                f"Only the headteacher gives the role “{Role(role).label}”: ask them to use People and roles.",
            )
        if cleaned.get("trust_wide") and not self.editor.is_superuser:
            self.add_error("trust_wide", "Only an administrator gives a role across the whole trust.")
        return cleaned


def office_school_ids_of(user) -> set[int]:
    return school_ids_for(user, [Role.OFFICE, Role.HEAD])


class MembershipFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if getattr(form, "locked", False) and "DELETE" in form.fields:
            form.fields["DELETE"].disabled = True  # a leader's role is removed by the head

    def role_changes(self) -> list[tuple[Membership, str]]:
        """What the save did to people's roles, in words, for the head and the access log."""
        before = {form.instance.pk: form.initial for form in self.initial_forms}
        changes = [(m, f"given the role {m.get_role_display()}") for m in self.new_objects]
        for membership, _fields in self.changed_objects:
            was = Role(before[membership.pk]["role"]).label
            state = "" if membership.is_active else " (inactive)"
            changes.append((membership, f"role changed from {was} to {membership.get_role_display()}{state}"))
        changes += [(m, f"no longer {m.get_role_display()}") for m in self.deleted_objects]
        return changes


class MembershipInline(ScopedInline):
    model = Membership
    form = MembershipAdminForm
    formset = MembershipFormSet
    autocomplete_fields = ["user"]
    office_may_delete = True  # removing a role it could give; leaders' rows are locked

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "school")

    def get_formset(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            kwargs["exclude"] = [*kwargs.get("exclude", []), "trust_wide"]
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type("MembershipAdminForm", (formset.form,), {"editor": request.user})
        return formset


class RoleChangesRecordedMixin(admin.ModelAdmin):
    """Every role given, changed or taken away in the back office notifies the school's head and
    is in the access log (docs/security.md#people-and-roles)."""

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if isinstance(formset, MembershipFormSet):
            membership_changes_record(request=request, changes=formset.role_changes())


class PersonAddForm(forms.ModelForm):
    """A new colleague without a password chosen by someone else: they get an e-mail to set their own."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "job_title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


@admin.action(description="Send a password reset e-mail")
def send_password_reset(modeladmin, request, queryset):
    for person in queryset.exclude(email=""):
        user_password_reset_send(request=request, user=person)
    modeladmin.message_user(request, "Password reset e-mails sent to the selected people who have an e-mail address.")


@admin.action(description="Reset two-factor sign-in (lost device)")
def reset_two_factor(modeladmin, request, queryset):
    for person in queryset:
        two_factor_reset(request=request, user=person)
    modeladmin.message_user(
        request, "Two-factor sign-in reset: each person sets up a new device at their next sign-in."
    )


@admin.register(User)
class ApcaseUserAdmin(RoleChangesRecordedMixin, UserAdmin, SchoolScopedAdmin):
    school_path = "memberships__school"
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff", "last_login"]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("apcase", {"fields": ["job_title", "reminder_delivery"]}))
    office_fieldsets = (
        (None, {"fields": ["username", "first_name", "last_name", "email", "job_title", "reminder_delivery"]}),
        ("Status", {"fields": ["is_active", "last_login", "date_joined"]}),
    )
    inlines = [MembershipInline]
    actions = [send_password_reset, reset_two_factor]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("memberships")
        return queryset if request.user.is_superuser else queryset.exclude(is_superuser=True)

    def get_actions(self, request):
        return super().get_actions(request) if request.user.is_superuser else {}

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        if obj is None:
            return ((None, {"fields": PersonAddForm.Meta.fields}),)
        return self.office_fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = PersonAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Office staff manage people and roles, never back-office powers (their own included).
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["last_login", "date_joined"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or person_manageable_by(request.user, obj))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and not obj.has_usable_password() and obj.email:
            user_password_reset_send(request=request, user=obj)

    def user_change_password(self, request, id, form_url=""):
        # Nobody sets a colleague's password: they reset it themselves from the sign-in page, or
        # the head sends them a reset e-mail. Superusers keep the tool for emergencies.
        if not request.user.is_superuser:
            raise PermissionDenied("Passwords are reset by e-mail: ask the headteacher to send a reset link.")
        return super().user_change_password(request, id, form_url)


@admin.register(Trust)
class TrustAdmin(SchoolScopedAdmin):
    school_path = "schools"
    search_fields = ["name"]

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)


class LocalAuthorityOfficerInline(admin.TabularInline):
    model = LocalAuthorityOfficer
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(SuperuserOnlyMixin, SimpleHistoryAdmin):
    # Local authorities and their officers (people outside every school) are set up by an
    # administrator; a school office has no business with another authority's officers.
    list_display = ["name", "code", "ap_email"]
    search_fields = ["name", "code"]
    inlines = [LocalAuthorityOfficerInline]


@admin.register(School)
class SchoolAdmin(RoleChangesRecordedMixin, SchoolScopedAdmin):
    school_path = "id"
    list_display = ["name", "urn", "la_code", "local_authority", "trust"]
    search_fields = ["name", "urn"]
    list_select_related = ["trust", "local_authority"]
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def get_readonly_fields(self, request, obj=None):
        # Which trust (and LA) a school is in decides who has reach over it from outside the school.
        return super().get_readonly_fields(request, obj) if request.user.is_superuser else ["trust", "local_authority"]


class HalfTermInline(ScopedInline):
    model = HalfTerm
    office_may_delete = True


@admin.register(AcademicYear)
class AcademicYearAdmin(SchoolScopedAdmin):
    list_display = ["label", "school", "start_date", "end_date"]
    list_filter = ["label"]
    list_select_related = ["school"]
    search_fields = ["school__name"]
    inlines = [HalfTermInline]
    office_may_delete = True


@admin.register(Closure)
class ClosureAdmin(SchoolScopedAdmin):
    list_display = ["date", "kind", "reason", "school"]
    list_filter = ["kind"]
    list_select_related = ["school"]
    date_hierarchy = "date"
    office_may_delete = True


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
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


@admin.register(Notification)
class NotificationAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at"]
    list_select_related = ["user"]
    list_filter = ["kind"]


@admin.action(description="Export the selected entries as CSV")
def export_access_log_csv(modeladmin, request, queryset):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="record-access-log.csv"'
    writer = SafeCSVWriter(response)
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
class RecordAccessAdmin(ReadOnlyAdmin):
    actions = [export_access_log_csv]
    list_display = ["at", "user", "action", "content_type", "object_id", "ip_address"]
    list_filter = ["action", "content_type"]
    list_select_related = ["user", "content_type"]
    search_fields = ["user__username", "object_id"]
    date_hierarchy = "at"
