from django.contrib import admin

from .models import ReviewReminder


@admin.register(ReviewReminder)
class ReviewReminderAdmin(admin.ModelAdmin):
    """The reviewers' weekly mail, as a log: what was promised, sent, skipped or failed."""

    list_display = ["reviewer", "week", "status", "articles", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "week"]
    readonly_fields = [f.name for f in ReviewReminder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
