from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from markdownx.admin import MarkdownxModelAdmin
from markdownx.models import MarkdownxField
from reversion import create_revision, set_comment, set_user
from solo.admin import SingletonModelAdmin

from education.admin import ReferenceInline
from images.forms import LibraryImageField, use_library_image
from images.models import MediaImage
from images.widgets import MarkdownEditorWidget

from . import autosave, publishing, readability, seo, signals
from .history_admin import RevisionsMixin
from .models import (
    WORDS_PER_MINUTE,
    Article,
    ArticleRedirect,
    Category,
    Page,
    PageRedirect,
    SiteSettings,
    Tag,
)
from .publishing import can_publish

# The editor (toolbar, uploads, media library, word count) for articles' and pages' bodies; its
# reading time uses the public one's rate.
EDITOR = {MarkdownxField: {"widget": MarkdownEditorWidget(words_per_minute=WORDS_PER_MINUTE)}}


class ArticleAdminForm(forms.ModelForm):
    """The article form without a status field: its buttons say what happens (publishing)."""

    featured_from_library = LibraryImageField(
        label="Or choose from the library",
        help_text="An image uploaded before: it is used as it is, nothing is uploaded again.",
    )

    class Meta:
        model = Article
        # As WordPress's editor: a checkbox per category, and which of them is the primary.
        widgets = {"categories": forms.CheckboxSelectMultiple}
        fields = [
            "title", "slug", "body", "excerpt", "published_at", "is_sticky", "author",
            "categories", "category", "tags", "featured_image", "featured_image_alt",
            "meta_description", "reviewed_by", "last_reviewed", "review_interval_months",
            "comments_open",
        ]  # fmt: skip

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        if "body" in self.fields:
            self.fields["body"].help_text = (
                "Markdown. Add images with Upload image or Choose from library, or drag or "
                "paste them into the text."
            )
        published_at = self.fields.get("published_at")
        if published_at is not None and hasattr(published_at.widget, "widgets"):
            # The admin's split widget shows "Date:" and "Time:" as text, not as labels.
            date, time = published_at.widget.widgets
            date.attrs["aria-label"] = "Publication date"
            time.attrs["aria-label"] = "Publication time"
        tags = self.fields.get("tags")
        if tags is not None:
            # No "remove all" cross: select2 puts it inside the list of chosen tags, where only
            # list items belong (axe: serious). Each tag keeps its own remove button.
            autocomplete = getattr(tags.widget, "widget", tags.widget)
            build_attrs = autocomplete.build_attrs
            autocomplete.build_attrs = lambda base, extra=None: {
                **build_attrs(base, extra),
                "data-allow-clear": "false",
            }

    def clean(self):
        cleaned = super().clean()
        # The primary category is one of the article's categories, ticked or not.
        primary = cleaned.get("category")
        if "categories" in self.fields and primary is not None:
            chosen = cleaned.get("categories")
            chosen = list(chosen) if chosen is not None else []
            if primary not in chosen:
                cleaned["categories"] = [*chosen, primary]
        use_library_image(self, "featured_from_library", "featured_image", "featured_image_alt")
        if self.request is None:
            return cleaned
        article = self.instance if self.instance.pk else None
        action = publishing.chosen(self.request.POST, article, self.request.user)
        at = cleaned.get("published_at")
        future = at is not None and at > timezone.now()
        if action == publishing.SCHEDULE and not future:
            self.add_error(
                "published_at",
                "To schedule, choose a publication time in the future (or use Publish now).",
            )
        editable_time = "published_at" in self.fields
        scheduled = article is not None and article.is_scheduled
        if action == publishing.UPDATE and scheduled and editable_time and not future:
            self.add_error(
                "published_at",
                "A scheduled article keeps a future time; to publish it now, use Publish now.",
            )
        return cleaned


class StatusFilter(admin.SimpleListFilter):
    """Status as readers experience it: "Scheduled" is published with a time still to come."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("review", "Ready for review"),
            ("scheduled", "Scheduled"),
            ("published", "Published"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value in ("draft", "review"):
            return queryset.filter(status=value)
        if value == "scheduled":
            return queryset.scheduled()
        if value == "published":
            return queryset.published()
        return queryset


class MineFilter(admin.SimpleListFilter):
    title = "writer"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "Mine")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(author__user=request.user)
        return queryset


@admin.register(Article)
class ArticleAdmin(RevisionsMixin, MarkdownxModelAdmin):
    form = ArticleAdminForm
    formfield_overrides = EDITOR
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "title", "status_label", "author", "primary_category", "grade", "published", "updated",
        "view_link",
    ]  # fmt: skip
    list_display_links = ["title"]
    list_filter = [StatusFilter, MineFilter, "is_sticky", "categories"]
    actions = ["pin", "unpin"]
    search_fields = ["title", "body", "excerpt"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    list_select_related = ["author", "category"]
    list_per_page = 50
    readonly_fields = ["status_label", "preview_link", "updated_at", "readability_panel"]
    inlines = [ReferenceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "readability_panel", "excerpt"]}),
        (
            "Publishing",
            {"fields": ["status_label", "published_at", "is_sticky", "preview_link", "updated_at"]},
        ),
        ("Filing", {"fields": ["author", "categories", "category", "tags"]}),
        (
            "Featured image",
            {"fields": ["featured_image", "featured_from_library", "featured_image_alt"]},
        ),
        (
            "Medical review",
            {"fields": ["reviewed_by", "last_reviewed", "review_interval_months"]},
        ),
        ("Comments", {"fields": ["comments_open"]}),
        # Last, right above its preview of the search result and the social card.
        ("Search and sharing", {"fields": ["meta_description"]}),
    ]

    @admin.action(description="Pin to the top of the home page", permissions=["publish"])
    def pin(self, request, queryset):
        self.set_pinned(request, queryset, True)

    @admin.action(description="Unpin from the top of the home page", permissions=["publish"])
    def unpin(self, request, queryset):
        self.set_pinned(request, queryset, False)

    def set_pinned(self, request, queryset, pinned):
        # Each row saved as the form would, so the page cache hears of it and history keeps it.
        changed = 0
        for article in queryset.exclude(is_sticky=pinned):
            article.is_sticky = pinned
            with create_revision():
                set_user(request.user)
                set_comment("Pinned to the top of the home page" if pinned else "Unpinned")
                article.save()
            changed += 1
        verb = "pinned" if pinned else "unpinned"
        self.message_user(request, f"{changed} article(s) {verb}.", messages.SUCCESS)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        if obj is None or not obj.pk:
            return "Draft (not saved yet)"
        # Pinned shows here rather than in a column of its own: the list must fit a tablet.
        label = "Scheduled" if obj.is_scheduled else obj.get_status_display()
        return f"{label} · pinned" if obj.is_sticky else label

    # "category", not the field's "primary category": the list must fit beside the admin's menu.
    @admin.display(description="category", ordering="category__name")
    def primary_category(self, obj):
        return obj.category

    @admin.display(description="grade", ordering="reading_grade")
    def grade(self, obj):
        """Stored on save (Article.reading_grade): the list reads no text."""
        return "—" if obj.reading_grade is None else f"{obj.reading_grade:.1f}"

    @admin.display(description="readability")
    def readability_panel(self, obj):
        return readability.panel(obj, reverse("admin:articles_article_readability"))

    @admin.display(description="published", ordering="published_at")
    def published(self, obj):
        return short_time(obj.published_at)

    @admin.display(description="last update", ordering="updated_at")
    def updated(self, obj):
        return short_time(obj.updated_at)

    @admin.display(description="on the site")
    def view_link(self, obj):
        label = "View on site" if obj.is_public else "Preview"
        return format_html(
            '<a href="{}" aria-label="{}: {}">{}</a>', obj.get_absolute_url(), label, obj.title,
            label,
        )  # fmt: skip

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
            fields += ["published_at", "is_sticky"]
        return fields

    def get_queryset(self, request):
        # Authors see and edit only the articles written under their own name.
        return super().get_queryset(request).editable_by(request.user)

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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["publish_buttons"] = publishing.buttons(obj, request.user)
        offer = autosave.offered(request.user, obj)
        context["autosave_offer"] = offer
        context["autosave_offer_time"] = autosave.offer_time(offer) if offer else ""
        # A new article's autosaves are keyed by the form (articles.autosave, Autosave).
        context["autosave_key"] = "" if obj else autosave.draft_key(request)
        context["search_preview"] = seo.search_preview(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        # The status in the database, not the form (which has none), says what was offered.
        action = publishing.chosen(request.POST, obj if change else None, request.user)
        publishing.apply_before_save(obj, action)
        request.publishing_action = action
        super().save_model(request, obj, form, change)
        autosave.forget(request.user, obj, request.POST.get("_autosave_key"))
        if form.files.get(form.add_prefix("featured_image")) and obj.featured_image:
            # Every uploaded image joins the media library, to be chosen again later.
            MediaImage.objects.add_stored(
                obj.featured_image.name, obj.featured_image_alt, uploaded_by=request.user
            )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if "data" in kwargs and f"{prefix}-TOTAL_FORMS" not in kwargs["data"]:
            # A form opened before references existed (a tab left open over a deploy), or a
            # script posting the article's own fields: its references are left as they are,
            # rather than the whole save refused for a missing management form.
            data = kwargs["data"].copy()
            data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
            kwargs["data"] = data
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # [n] links to reference n: stored again now that the references are saved.
        form.instance.render_again()

    def response_add(self, request, obj, post_url_continue=None):
        if IS_POPUP_VAR in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return self.after_save(request, obj)

    def response_change(self, request, obj):
        if IS_POPUP_VAR in request.POST:
            return super().response_change(request, obj)
        return self.after_save(request, obj)

    def after_save(self, request, obj):
        """Back to the form with what happened, or on to the publishing confirmation."""
        action = getattr(request, "publishing_action", publishing.SAVE)
        if action in publishing.CONFIRMED:
            return redirect("admin:articles_article_publish", obj.pk, publishing.CONFIRMED[action])
        self.message_user(request, publishing.saved_message(obj, action), messages.SUCCESS)
        return redirect("admin:articles_article_change", obj.pk)

    def get_urls(self):
        return [
            path(
                "<int:pk>/publish/<str:action>/",
                self.admin_site.admin_view(self.publish_view),
                name="articles_article_publish",
            ),
            path(
                "autosave/",
                self.admin_site.admin_view(autosave.save),
                name="articles_article_autosave",
            ),
            path(
                "readability/",
                self.admin_site.admin_view(readability.analyse),
                name="articles_article_readability",
            ),
            path(
                "autosave/discard/",
                self.admin_site.admin_view(autosave.discard),
                name="articles_article_autosave_discard",
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request, pk, action):
        """The confirmation before an article goes public: when, and who will be mailed."""
        names = {value: key for key, value in publishing.CONFIRMED.items()}
        if action not in names:
            raise Http404("Unknown publishing step.")
        name = names[action]
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not can_publish(request.user) or not self.has_change_permission(request, article):
            raise PermissionDenied
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        if article.is_public:
            self.message_user(request, "This article is already published.", messages.INFO)
            return redirect(change_url)
        if name == publishing.SCHEDULE and not (
            article.published_at and article.published_at > timezone.now()
        ):
            self.message_user(
                request, "To schedule, choose a publication time in the future.", messages.ERROR
            )
            return redirect(change_url)
        if request.method == "POST" and "_send_test" in request.POST:
            address = request.user.email
            if not address:
                self.message_user(
                    request, "Your account has no email address to send a test to.", messages.ERROR
                )
            else:
                with transaction.atomic():
                    signals.send_sample(article, publishing.when(name, article), address)
                self.message_user(
                    request,
                    f"A test email is on its way to {address}. Nobody else receives it.",
                    messages.SUCCESS,
                )
            return redirect(request.path)
        if request.method == "POST" and "_confirm" in request.POST:
            with transaction.atomic(), create_revision():
                set_user(request.user)
                said = publishing.publish(article, name)
                set_comment(said)
            self.message_user(request, said, messages.SUCCESS)
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{'Publish' if name == publishing.PUBLISH else 'Schedule'} “{article}”?",
            "article": article,
            "action": action,
            "change_url": change_url,
            "opts": self.model._meta,
            **publishing.confirmation(article, name),
        }
        return TemplateResponse(request, "admin/articles/article/publish_confirm.html", context)


def short_time(moment):
    """A time that fits a list column: 3 Mar 2026, 09:15 (the site's time zone)."""
    if moment is None:
        return "—"
    return format_html(
        '<time datetime="{}">{}</time>',
        moment.isoformat(),
        timezone.localtime(moment).strftime("%-d %b %Y, %H:%M"),
    )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    # Renaming a slug keeps the old archive's address as a 301 (articles.changes).
    list_display = ["name", "slug", "parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Page)
class PageAdmin(RevisionsMixin, MarkdownxModelAdmin):
    formfield_overrides = EDITOR
    list_display = ["title", "address", "is_published", "menu_order", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "body", "path"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["parent"]

    @admin.display(description="address", ordering="path")
    def address(self, obj):
        return f"/{obj.path}/"


@admin.register(PageRedirect)
class PageRedirectAdmin(admin.ModelAdmin):
    list_display = ["__str__", "page"]
    search_fields = ["path", "page__title"]
    raw_id_fields = ["page"]


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_url", "article"]
    search_fields = ["slug", "article__title"]
    raw_id_fields = ["article"]

    @admin.display(description="old address")
    def old_url(self, obj):
        return str(obj)


class SiteSettingsForm(forms.ModelForm):
    class Meta:
        model = SiteSettings
        fields = ["target_grade"]  # the admin adds the rest, from its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grade = self.fields.get("target_grade")
        if grade is not None:
            grade.required = False
            grade.help_text += " Left empty: 8."

    def clean_target_grade(self):
        value = self.cleaned_data.get("target_grade")
        return SiteSettings._meta.get_field("target_grade").default if value is None else value


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonModelAdmin, MarkdownxModelAdmin):
    """The one row's form, straight from the admin index: nothing to add, list or delete."""

    form = SiteSettingsForm
    fieldsets = [
        ("The blog", {"fields": ["name", "tagline", "featured_author", "links"]}),
        ("Readability", {"fields": ["target_grade"]}),
        (
            "The practice",
            {
                "description": "Shown in the header (phone and call to action), the footer "
                "(contact details, disclaimer, privacy) and to search engines.",
                "fields": [
                    "practice_name",
                    ("logo", "logo_on_dark"),
                    ("phone", "email"),
                    "street_address",
                    ("address_locality", "address_region", "postal_code", "address_country"),
                    "opening_hours",
                    ("cta_label", "cta_url"),
                    "disclaimer",
                    ("disclaimer_page", "privacy_page"),
                ],
            },
        ),
    ]
