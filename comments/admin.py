from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles.models import Article

from . import policy
from .models import Comment, Like

PRIVACY_REMINDER = (
    "Replying in public: never confirm or suggest that a commenter is a patient of the practice, "
    "and never mention anything about their care. Answer in general terms."
)


class ArticleFilter(admin.SimpleListFilter):
    title = "article"
    parameter_name = "article"

    def lookups(self, request, model_admin):
        ids = Comment.objects.values_list("object_pk", flat=True).distinct()
        return [
            (str(a.pk), a.title)
            for a in Article.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()])
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(object_pk=self.value())
        return queryset


class EraseForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="Every comment written with this address is anonymised: name, email, website, "
        "IP address and text are erased. Replies by others stay in place.",
    )


def erase_address(address):
    comments = Comment.objects.filter(user_email__iexact=address.strip())
    count = 0
    with transaction.atomic():
        for comment in comments:
            comment.user_name = "(erased)"
            comment.user_email = ""
            comment.user_url = ""
            comment.ip_address = None
            comment.comment = "This comment was erased at its writer's request."
            comment.followup = False
            comment.status = Comment.Status.REMOVED
            comment.save()
            count += 1
        for thread_id in {c.thread_id for c in comments}:
            from .models import refresh_thread_visibility

            refresh_thread_visibility(thread_id)
    return count


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["short_text", "name_shown", "article_link", "status", "submit_date"]
    list_filter = ["status", ArticleFilter, "submit_date"]
    search_fields = ["user_name", "user_email", "comment"]
    date_hierarchy = "submit_date"
    actions = ["approve", "unapprove", "mark_spam", "remove", "erase_writers"]
    readonly_fields = [
        "article_link", "status", "hold_reason", "is_public", "submit_date", "ip_address",
        "level", "reminder",
    ]  # fmt: skip
    fields = [
        "reminder", "article_link", "user_name", "user_email", "user_url", "comment", "status",
        "hold_reason", "is_public", "followup", "submit_date", "ip_address", "level",
    ]  # fmt: skip
    list_select_related = ["content_type"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("content_object")

    @admin.display(description="Before you reply")
    def reminder(self, obj):
        return PRIVACY_REMINDER

    @admin.display(description="comment")
    def short_text(self, obj):
        return obj.comment[:80] + ("…" if len(obj.comment) > 80 else "")

    @admin.display(description="name", ordering="user_name")
    def name_shown(self, obj):
        return obj.name

    @admin.display(description="article")
    def article_link(self, obj):
        article = obj.content_object
        if article is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', article.get_absolute_url() + f"#{obj.anchor}", article.title
        )

    def _set(self, request, queryset, status, label):
        for comment in queryset:
            if status == Comment.Status.APPROVED:
                policy.approve(comment)
            else:
                comment.set_status(status)
        self.message_user(request, f"{queryset.count()} comment(s) {label}.", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._set(request, queryset, Comment.Status.APPROVED, "approved")

    @admin.action(description="Unapprove (hold for moderation)", permissions=["change"])
    def unapprove(self, request, queryset):
        self._set(request, queryset, Comment.Status.PENDING, "held for moderation")

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set(request, queryset, Comment.Status.SPAM, "marked as spam")

    @admin.action(description="Remove", permissions=["change"])
    def remove(self, request, queryset):
        self._set(request, queryset, Comment.Status.REMOVED, "removed")

    @admin.action(
        description="Erase everything from the selected writers' email addresses",
        permissions=["delete"],
    )
    def erase_writers(self, request, queryset):
        addresses = {c.user_email.lower() for c in queryset if c.user_email}
        count = sum(erase_address(address) for address in addresses)
        self.message_user(request, f"Erased {count} comment(s) from {len(addresses)} address(es).")

    def get_urls(self):
        return [
            path(
                "erase/",
                self.admin_site.admin_view(self.erase_view),
                name="comments_comment_erase",
            ),
            *super().get_urls(),
        ]

    def erase_view(self, request):
        if not self.has_delete_permission(request):
            return redirect("admin:index")
        form = EraseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            count = erase_address(form.cleaned_data["email"])
            self.message_user(request, f"Erased {count} comment(s) written with that address.")
            return redirect(reverse("admin:comments_comment_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase a commenter's data",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/comments/erase.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "privacy_reminder": PRIVACY_REMINDER}
        return super().changelist_view(request, extra_context)


@admin.register(Like)
class LikeAdmin(admin.ModelAdmin):
    list_display = ["article", "user", "created_at"]
    list_filter = ["created_at"]
    raw_id_fields = ["article", "user"]
