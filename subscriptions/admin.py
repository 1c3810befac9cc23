import csv

from django.contrib import admin, messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from . import services
from .delivery import mark_delivered
from .models import Delivery, Digest, Follower, Notification, Suppression
from .tasks import retry_deliveries

# A spreadsheet runs a cell that starts with one of these as a formula; an address may
# legally start with "=" or "-".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


class ReadOnlyRecordAdmin(admin.ModelAdmin):
    """Records that change only through their own rules: listed and acted on, never edited.

    The change permission still grants the list's actions; the record pages are view-only.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)


@admin.register(Follower)
class FollowerAdmin(ReadOnlyRecordAdmin):
    list_display = [
        "email", "status", "frequency", "topic_list", "source", "subscribed_at", "confirmed_at",
        "unsubscribed_at",
    ]  # fmt: skip
    list_filter = ["status", "frequency", "all_topics", "source"]
    search_fields = ["email"]
    date_hierarchy = "subscribed_at"
    actions = ["export_csv", "unsubscribe_selected", "erase_selected"]
    fields = [
        "email", "status", "frequency", "all_topics", "topics", "source", "subscribed_at",
        "confirmation_sent_at", "confirmed_at", "unsubscribed_at", "consent_note", "updated_at",
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description="topics")
    def topic_list(self, obj):
        # Followers choose their topics themselves, through the link in every mail.
        return "every topic" if obj.all_topics else ", ".join(t.name for t in obj.topics.all())

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting must go through erasure, which keeps the suppression fingerprint.
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Export selected followers as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="followers-{stamp}.csv"'
        writer = csv.writer(response)
        columns = [
            "email", "status", "source", "subscribed_at", "confirmed_at", "unsubscribed_at",
            "consent_note",
        ]  # fmt: skip
        writer.writerow(columns)
        rows = queryset.prefetch_related(None).order_by("email").values_list(*columns)
        for follower in rows.iterator():
            writer.writerow([spreadsheet_safe(value) for value in follower])
        return response

    @admin.action(description="Unsubscribe selected followers", permissions=["change"])
    def unsubscribe_selected(self, request, queryset):
        for follower in queryset:
            services.unsubscribe(follower)
        self.message_user(request, f"Unsubscribed {len(queryset)} follower(s).")

    @admin.action(
        description="Erase selected followers (keeps only a suppression fingerprint)",
        permissions=["delete"],
    )
    def erase_selected(self, request, queryset):
        count = len(queryset)
        self.delete_queryset(request, queryset)
        self.message_user(request, f"Erased {count} follower(s) and their delivery log.")

    def delete_model(self, request, obj):
        services.erase(obj)

    def delete_queryset(self, request, queryset):
        for follower in queryset:
            services.erase(follower)


def deliveries_link(notification, status_filter, count):
    if not count:
        return 0
    url = reverse("admin:subscriptions_delivery_changelist")
    query = {"article__id__exact": notification.article_id, **status_filter}
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(query), count)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyRecordAdmin):
    """Each notified article with how its mail is going; the retry action lives here."""

    list_display = [
        "article_link", "created_at", "queued_at", "recipients", "sent", "pending", "failed",
        "caught_mid_send",
    ]  # fmt: skip
    list_select_related = ["article"]
    search_fields = ["article__title"]
    date_hierarchy = "created_at"
    actions = ["retry_failed"]
    fields = ["article", "created_at", "queued_at", "recipients"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def has_delete_permission(self, request, obj=None):
        return False  # deleting it would let the article notify everyone a second time

    @admin.display(description="article", ordering="article__title")
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article.title)

    @admin.display(description="sent", ordering="sent_count")
    def sent(self, obj):
        return deliveries_link(obj, {"status__exact": Delivery.Status.SENT}, obj.sent_count)

    @admin.display(description="pending", ordering="pending_count")
    def pending(self, obj):
        return deliveries_link(
            obj, {"status__in": f"{Delivery.Status.PENDING},{Delivery.Status.SENDING}"},
            obj.pending_count,
        )  # fmt: skip

    @admin.display(description="failed or bounced", ordering="failed_count")
    def failed(self, obj):
        return deliveries_link(
            obj, {"status__in": f"{Delivery.Status.FAILED},{Delivery.Status.BOUNCED}"},
            obj.failed_count,
        )  # fmt: skip

    @admin.display(description="caught mid-send", ordering="interrupted_count")
    def caught_mid_send(self, obj):
        return deliveries_link(
            obj, {"status__exact": Delivery.Status.INTERRUPTED}, obj.interrupted_count
        )

    @admin.action(
        description="Retry failed deliveries of the selected articles", permissions=["change"]
    )
    def retry_failed(self, request, queryset):
        deliveries = Delivery.objects.filter(
            article__in=queryset.values("article"), status=Delivery.Status.FAILED
        )
        count = retry_deliveries(deliveries)
        self.message_user(request, f"{count} failed delivery(ies) will be sent again.")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyRecordAdmin):
    list_display = [
        "follower", "subject", "status", "attempts", "short_error", "next_attempt_at",
        "sent_at", "updated_at",
    ]  # fmt: skip
    list_filter = [
        "status",
        ("article", admin.RelatedOnlyFieldListFilter),
        ("digest", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["follower", "article", "digest"]
    search_fields = ["follower__email", "article__title"]
    actions = ["send_again", "mark_as_sent"]
    fields = [
        "follower", "article", "digest", "status", "attempts", "last_error", "next_attempt_at",
        "claimed_at", "sent_at", "created_at", "updated_at",
    ]  # fmt: skip

    def has_delete_permission(self, request, obj=None):
        return False  # the log is the record of what was sent; erasure removes a follower's

    @admin.display(description="last error")
    def short_error(self, obj):
        return obj.last_error.splitlines()[0][:120] if obj.last_error else ""

    @admin.action(
        description="Send again (failed, or caught mid-send and not received)",
        permissions=["change"],
    )
    def send_again(self, request, queryset):
        count = retry_deliveries(queryset)
        self.message_user(request, f"{count} delivery(ies) will be sent again.")

    @admin.action(
        description="Mark as sent (caught mid-send, but received)", permissions=["change"]
    )
    def mark_as_sent(self, request, queryset):
        count = mark_delivered(queryset)
        self.message_user(request, f"{count} delivery(ies) marked as sent.", messages.SUCCESS)


@admin.register(Digest)
class DigestAdmin(ReadOnlyRecordAdmin):
    """Each week's digest: when it was due, what it covered, how many it was owed to."""

    list_display = ["__str__", "starts_at", "ends_at", "queued_at", "recipients", "deliveries"]
    fields = ["starts_at", "ends_at", "created_at", "queued_at", "recipients"]

    def has_delete_permission(self, request, obj=None):
        return False  # deleting it would send the week's digest a second time

    @admin.display(description="deliveries")
    def deliveries(self, obj):
        url = reverse("admin:subscriptions_delivery_changelist")
        return format_html('<a href="{}?digest__id__exact={}">Deliveries</a>', url, obj.pk)


@admin.register(Suppression)
class SuppressionAdmin(ReadOnlyRecordAdmin):
    """Fingerprints of addresses never to be mailed again; only their number and reasons show."""

    list_display = ["__str__", "reason", "created_at"]
    list_filter = ["reason"]

    def has_delete_permission(self, request, obj=None):
        return False
