"""Back office: every reminder and what became of it."""

from django.contrib import admin

from apcase.admin import office_school_ids
from reminders.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Every reminder and what became of it: failures stay visible with their last error."""

    list_display = ["due_on", "kind", "recipient", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind"]
    list_select_related = ["recipient"]
    date_hierarchy = "due_on"
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(school_id__in=office_school_ids(request))

    def has_add_permission(self, request):
        return False
