from django.contrib import admin
from markdownx.admin import MarkdownxModelAdmin

from .models import CareCallout, GlossaryTerm, Reference


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["term", "explanation", "other_forms", "explain_to_readers"]
    list_editable = ["explain_to_readers"]
    search_fields = ["term", "other_forms", "explanation"]


@admin.register(CareCallout)
class CareCalloutAdmin(MarkdownxModelAdmin):
    list_display = ["title", "marker"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "body"]

    @admin.display(description="put this line in an article")
    def marker(self, obj):
        return obj.marker


class ReferenceInline(admin.StackedInline):
    """An article's sources, on its form (articles.admin)."""

    model = Reference
    extra = 0
    fields = [("number", "year"), "title", "authors", "publisher", ("doi", "pmid"), "url"]
    verbose_name_plural = "references (cite them in the text as [1], [2], …)"
