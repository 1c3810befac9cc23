from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from markdownx.admin import MarkdownxModelAdmin
from solo.admin import SingletonModelAdmin

from .models import Article, ArticleRedirect, Category, Page, SiteSettings, Tag


def can_publish(user):
    return user.has_perm("articles.publish_article")


class ArticleAdminForm(forms.ModelForm):
    """Only Editors may publish or schedule: publishing mails every follower."""

    class Meta:
        model = Article
        fields = [
            "title", "slug", "body", "excerpt", "status", "published_at", "author", "category",
            "tags", "featured_image", "featured_image_alt", "reviewed_by", "last_reviewed",
            "comments_open",
        ]  # fmt: skip

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.publisher = request is None or can_publish(request.user)
        if not self.publisher and "status" in self.fields:
            self.fields["status"].choices = [
                (value, label)
                for value, label in Article.Status.choices
                if value != Article.Status.PUBLISHED
            ]
            self.fields[
                "status"
            ].help_text = "Mark the draft “Ready for review”; an Editor publishes or schedules it."

    def clean_status(self):
        status = self.cleaned_data["status"]
        was_published = self.instance.pk and self.instance.status == Article.Status.PUBLISHED
        if status == Article.Status.PUBLISHED and not self.publisher and not was_published:
            raise forms.ValidationError("Only Editors may publish or schedule articles.")
        return status


@admin.register(Article)
class ArticleAdmin(MarkdownxModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "status_label", "published_at", "author", "category", "updated_at"]
    list_filter = ["status", "category", "author", "tags", "comments_open"]
    search_fields = ["title", "body", "excerpt"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["tags"]
    list_select_related = ["author", "category"]
    readonly_fields = ["preview_link", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "excerpt"]}),
        ("Publishing", {"fields": ["status", "published_at", "preview_link", "updated_at"]}),
        ("Filing", {"fields": ["author", "category", "tags"]}),
        ("Featured image", {"fields": ["featured_image", "featured_image_alt"]}),
        ("Medical review", {"fields": ["reviewed_by", "last_reviewed"]}),
        ("Comments", {"fields": ["comments_open"]}),
    ]

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return "Scheduled"
        return obj.get_status_display()

    @admin.display(description="preview")
    def preview_link(self, obj):
        if not obj.pk:
            return "Save the article to preview it."
        return format_html('<a href="{}" target="_blank">Open preview</a>', obj.get_absolute_url())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class RequestForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, **kw)

        return RequestForm

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            fields.append("published_at")
            if obj and obj.status == Article.Status.PUBLISHED:
                fields.append("status")
        return fields

    def get_queryset(self, request):
        articles = super().get_queryset(request)
        if can_publish(request.user) or request.user.is_superuser:
            return articles
        # Authors see and edit only the articles written under their own name.
        return articles.filter(author__user=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author" and not can_publish(request.user):
            from authors.models import Author

            kwargs["queryset"] = Author.objects.filter(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        author = getattr(request.user, "author", None)
        if author is not None:
            initial.setdefault("author", author.pk)
        return initial

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_scheduled:
            when = timezone.localtime(obj.published_at).strftime("%d %B %Y at %H:%M")
            self.message_user(request, f"Scheduled: the public will see it from {when}.")
        elif obj.status == Article.Status.REVIEW:
            self.message_user(request, "Marked ready for review.", messages.INFO)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Page)
class PageAdmin(MarkdownxModelAdmin):
    list_display = ["title", "slug", "is_published", "menu_order", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_url", "article"]
    search_fields = ["slug", "article__title"]
    raw_id_fields = ["article"]

    @admin.display(description="old address")
    def old_url(self, obj):
        return str(obj)


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonModelAdmin, MarkdownxModelAdmin):
    """The one row's form, straight from the admin index: nothing to add, list or delete."""
