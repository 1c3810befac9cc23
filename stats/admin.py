from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import ArticleDay


@admin.register(ArticleDay)
class ArticleDayAdmin(admin.ModelAdmin):
    """The daily figures row by row (the statistics page at /admin/stats/ sums them up)."""

    list_display = ["day", "article_link", "views", "readers", "mail_views"]
    list_select_related = ["article"]
    date_hierarchy = "day"
    search_fields = ["article__title"]
    ordering = ["-day", "-views"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # figures leave only by the retention setting

    @admin.display(description="article", ordering="article__title")
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article.title)
