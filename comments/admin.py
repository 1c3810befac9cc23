from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from articles.models import Article, Page

from . import policy, staff
from .models import Comment, CommentMail, Like, target_key
from .privacy import erase_address

PRIVACY_REMINDER = (
    "Replying in public: never confirm or suggest that a commenter is a patient of the practice, "
    "and never mention anything about their care. Answer in general terms."
)


class ArticleFilter(admin.SimpleListFilter):
    """The article or page commented on; values are `target_key`s ("12", "page-3")."""

    title = "article or page"
    parameter_name = "article"

    def lookups(self, request, model_admin):
        found = []
        for model in (Article, Page):
            kind = ContentType.objects.get_for_model(model)
            ids = Comment.objects.filter(content_type=kind).values_list("object_pk", flat=True)
            targets = model.objects.filter(pk__in=[int(i) for i in set(ids) if i.isdigit()])
            found += [(target_key(t), t.title) for t in targets]
        return found

    def queryset(self, request, queryset):
        value = self.value() or ""
        model, pk = (
            (Page, value.removeprefix("page-")) if value.startswith("page-") else (Article, value)
        )
        if pk.isdigit():
            return queryset.filter(
                content_type=ContentType.objects.get_for_model(model), object_pk=pk
            )
        return queryset


class EraseForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="Every comment written with this address is anonymised: name, email, website, "
        "IP address and text are erased. Replies by others stay in place.",
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply",
        max_length=settings.COMMENTS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": settings.COMMENTS_MAX_CHARS}),
        help_text="Shown under the comment, with your name and a “Practice team” badge.",
    )


def safe_next(request, fallback):
    """Where a moderation button returns to: a page of this site, never another."""
    # Without a `next`, the page the button was on (the list with its filters).
    target = (
        request.POST.get("next") or request.GET.get("next") or request.headers.get("Referer", "")
    )
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "short_text", "name_shown", "article_link", "status", "hold_reason", "submit_date",
        "moderation",
    ]  # fmt: skip
    list_filter = ["status", ArticleFilter, "submit_date"]
    # A hash pasted from one comment finds the others from the same IP address.
    search_fields = ["user_name", "user_email", "comment", "=ip_hash"]
    date_hierarchy = "submit_date"
    actions = ["approve", "unapprove", "mark_spam", "remove", "erase_writers"]
    readonly_fields = [
        "article_link", "status", "hold_reason", "is_public", "submit_date", "ip_hash",
        "level", "reminder",
    ]  # fmt: skip
    fields = [
        "reminder", "article_link", "user_name", "user_email", "user_url", "comment", "status",
        "hold_reason", "is_public", "followup", "submit_date", "ip_hash", "level",
    ]  # fmt: skip
    list_select_related = ["content_type"]

    class Media:
        js = ["js/moderation.js"]

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

    @admin.display(description="article or page")
    def article_link(self, obj):
        article = obj.content_object
        if article is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', article.get_absolute_url() + f"#{obj.anchor}", article.title
        )

    @admin.display(description="moderate")
    def moderation(self, obj):
        """Per-row buttons. They sit inside the changelist's own form (which carries the CSRF
        token) and post it to the comment's moderation URL instead: no nested forms."""
        return moderation_buttons(obj)

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
        view = self.admin_site.admin_view
        return [
            path("erase/", view(self.erase_view), name="comments_comment_erase"),
            path("<int:pk>/moderate/", view(self.moderate_view), name="comments_comment_moderate"),
            path("<int:pk>/reply/", view(self.reply_view), name="comments_comment_reply"),
            *super().get_urls(),
        ]

    @property
    def changelist_url(self):
        return reverse("admin:comments_comment_changelist")

    def moderate_view(self, request, pk):
        """One decision about one comment (POST, CSRF-checked); back to where it was made."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = get_object_or_404(Comment, pk=pk)
        if not self.has_change_permission(request, comment):
            return redirect("admin:index")
        decision = request.POST.get("decision", "")
        if decision not in staff.DECISIONS:
            self.message_user(request, "Unknown moderation decision.", messages.ERROR)
            return redirect(safe_next(request, self.changelist_url))
        wording = staff.moderate(comment, decision)
        message = f"{comment.name}’s comment {wording}."
        if "application/json" in request.headers.get("Accept", ""):
            # The dashboard's and the list's script update the row in place.
            return JsonResponse(
                {
                    "status": comment.status,
                    "label": comment.get_status_display(),
                    "message": message,
                    "waiting": Comment.objects.awaiting_moderation().count(),
                }
            )
        self.message_user(request, message, messages.SUCCESS)
        return redirect(safe_next(request, self.changelist_url))

    def reply_view(self, request, pk):
        """A staff reply under one comment, with the privacy reminder beside the form."""
        comment = get_object_or_404(Comment.objects.select_related("content_type"), pk=pk)
        if not self.has_change_permission(request, comment):
            return redirect("admin:index")
        back = safe_next(request, self.changelist_url)
        form = ReplyForm(request.POST or None)
        findings = []
        if request.method == "POST" and form.is_valid():
            try:
                answer = staff.reply(
                    comment,
                    request.user,
                    form.cleaned_data["text"],
                    confirmed=request.POST.get("health_ok") == "1",
                )
            except staff.HealthWarning as warning:
                findings = warning.findings
            except staff.ReplyRefused as refusal:
                form.add_error("text", str(refusal))
            else:
                article = answer.content_object
                self.message_user(
                    request,
                    format_html(
                        "Your reply to {} is published under their comment on “{}”. "
                        '<a href="{}">See it on the site</a>.',
                        comment.name,
                        article.title,
                        article.get_absolute_url() + f"#{answer.anchor}",
                    ),
                    messages.SUCCESS,
                )
                return redirect(back)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reply to {comment.name}",
            "comment": comment,
            "article": comment.content_object,
            "form": form,
            "next": back,
            "can_reply": staff.can_reply_to(comment),
            "privacy_reminder": PRIVACY_REMINDER,
            "findings": findings,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/comments/reply.html", context)

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


def moderation_buttons(comment, back=""):
    """Approve / Spam / Remove buttons and a Reply link for one comment.

    `formaction` sends the enclosing form (the changelist's, or the dashboard's own per-comment
    form) to the comment's moderation URL; `back` is where the answer returns (without it, the
    page the button was on).
    """
    query = f"?{urlencode({'next': back})}" if back else ""
    url = reverse("admin:comments_comment_moderate", args=[comment.pk]) + query
    offered = {
        Comment.Status.PENDING: ["approve", "spam", "remove"],
        Comment.Status.UNCONFIRMED: ["spam", "remove"],
        Comment.Status.APPROVED: ["hold", "spam", "remove"],
        Comment.Status.SPAM: ["approve", "remove"],
        Comment.Status.REMOVED: ["approve"],
    }.get(comment.status, [])
    labels = {"approve": "Approve", "spam": "Spam", "remove": "Remove", "hold": "Unapprove"}
    buttons = format_html_join(
        "",
        '<button type="submit" class="button moderate-{}" formaction="{}" formmethod="post" '
        'name="decision" value="{}" aria-label="{} {}’s comment">{}</button>',
        (
            (decision, url, decision, labels[decision], comment.name,
             labels[decision])
            for decision in offered
        ),
    )  # fmt: skip
    reply = ""
    if staff.can_reply_to(comment):
        reply_url = reverse("admin:comments_comment_reply", args=[comment.pk]) + query
        reply = format_html(
            '<a class="button moderate-reply" href="{}" aria-label="Reply to {}">Reply</a>',
            reply_url,
            comment.name,
        )
    return format_html(
        '<div class="moderation" data-comment="{}">{}{}</div>', comment.pk, buttons, reply
    )


@admin.register(Like)
class LikeAdmin(admin.ModelAdmin):
    list_display = ["article", "user", "created_at"]
    list_filter = ["created_at"]
    raw_id_fields = ["article", "user"]


@admin.register(CommentMail)
class CommentMailAdmin(admin.ModelAdmin):
    """The record of each comment mail to each address: what went out, what waits, what failed.

    Read-only: rows change only by being sent. One caught mid-send may have arrived; staff ask
    the person rather than mail them twice.
    """

    list_display = ["address", "kind", "comment", "status", "attempts", "short_error", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["address"]
    list_select_related = ["comment"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="last error")
    def short_error(self, obj):
        return obj.last_error.splitlines()[0][:120] if obj.last_error else ""
