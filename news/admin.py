from functools import partial

from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html

from . import tasks
from .models import Feed, Item


class ItemInline(admin.TabularInline):
    model = Item
    fields = ("title", "link", "published_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "active", "last_success_at", "state")
    list_filter = ("active",)
    readonly_fields = ("last_success_at", "last_error", "last_error_at")
    inlines = [ItemInline]
    actions = ["fetch_now"]

    @admin.display(description="state")
    def state(self, feed):
        if feed.last_error:
            return format_html(
                '<strong class="news-feed-error">Failing since {}: {}</strong> (its last good '
                "items are still shown)",
                feed.last_error_at.strftime("%Y-%m-%d %H:%M") if feed.last_error_at else "?",
                feed.last_error,
            )
        return "OK" if feed.last_success_at else "not fetched yet"

    @admin.action(description="Fetch the selected feeds now")
    def fetch_now(self, request, queryset):
        for feed in queryset:
            queue_fetch(feed)
        self.message_user(
            request,
            "Fetching in the background: reload this list in a moment to see each feed's state.",
            messages.INFO,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.active and ("url" in form.changed_data or not change):
            # A new address is tried at once, so staff soon see whether it works.
            queue_fetch(obj)


def queue_fetch(feed):
    transaction.on_commit(partial(tasks.fetch_feed.enqueue, feed.pk))
