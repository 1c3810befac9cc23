from django.contrib import admin
from markdownx.admin import MarkdownxModelAdmin

from .models import Author


@admin.register(Author)
class AuthorAdmin(MarkdownxModelAdmin):
    list_display = ["name", "credentials", "user", "x_handle"]
    search_fields = ["name", "credentials", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
