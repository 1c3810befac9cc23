import datetime
import re

from django.http import Http404, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.text import Truncator
from django.views.generic import ListView

from authors.models import Author

from . import selectors
from .models import Article, Category, Page, Tag
from .search import add_snippets, clean_query

PER_PAGE = 10
# The "page/<n>/" that ends the address of an archive's further pages.
PAGE_SUFFIX = re.compile(r"(?<=/)page/\d+/$")


class ArticleListView(ListView):
    """Published articles, newest first, 10 a page at /…/page/<n>/."""

    paginate_by = PER_PAGE
    page_kwarg = "page"
    allow_empty = True
    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The archive's first page; its page n answers at page_base + "page/n/".
        context["page_base"] = PAGE_SUFFIX.sub("", self.request.path)
        return context


def archive_feed(subject, url_name):
    """The <link rel="alternate"> feeds of a category's or an author's archive."""
    return {
        "name": subject.name,
        "rss": reverse(url_name, kwargs={"slug": subject.slug}),
        "atom": reverse(f"{url_name}-atom", kwargs={"slug": subject.slug}),
    }


class HomeView(ArticleListView):
    """The latest articles, or with ?s=words the articles that match, best first."""

    def get(self, request, *args, **kwargs):
        self.query = request.GET.get("s")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        articles = super().get_queryset()
        if self.query is not None:
            return articles.search(self.query)
        return articles

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.query is not None:
            query = clean_query(self.query)
            add_snippets(context["articles"], query)
            context["search_query"] = query
            context["archive_title"] = f"Search results for “{Truncator(query).chars(80)}”"
        return context


class CategoryView(ArticleListView):
    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            archive_title=f"Category: {self.category.name}",
            archive_description=self.category.description,
            archive_object=self.category,
            archive_feed=archive_feed(self.category, "articles:category-feed"),
            **kwargs,
        )


class TagView(ArticleListView):
    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            archive_title=f"Tag: {self.tag.name}", archive_object=self.tag, **kwargs
        )


class AuthorView(ArticleListView):
    template_name = "authors/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            author=self.author,
            archive_title=self.author.byline,
            archive_feed=archive_feed(self.author, "articles:author-feed"),
            **kwargs,
        )


class DateArchiveView(ArticleListView):
    def get_queryset(self):
        year = self.kwargs["year"]
        month = self.kwargs.get("month")
        if month is not None and not 1 <= month <= 12:
            raise Http404("No such month.")
        self.date = datetime.date(year, month or 1, 1)
        articles = super().get_queryset().filter(published_at__year=year)
        if month:
            articles = articles.filter(published_at__month=month)
        return articles

    def get_context_data(self, **kwargs):
        label = self.date.strftime("%B %Y") if "month" in self.kwargs else str(self.date.year)
        return super().get_context_data(archive_title=f"Archives: {label}", **kwargs)


def article_detail(request, year, month, day, slug):
    articles = Article.objects.visible_to(request.user).select_related(
        "author", "category", "reviewed_by"
    )
    article = articles.at_permalink(year, month, day, slug).first()
    if article is None:
        moved = articles.formerly_at(year, month, day, slug).first()
        if moved:
            return redirect(moved, permanent=True)
        raise Http404("No article at this address.")
    return render_article(request, article)


def around(request, article):
    """Tags, previous, next and related articles, and the references: kept until public
    content changes."""
    if not article.is_public:
        return list(article.tags.all()), None, None, [], list(article.references.all())
    return request.fragments.fetch(
        "around",
        lambda: (
            list(article.tags.all()),
            *selectors.reading_on(article),
            list(article.references.all()),
        ),
        article.pk,
    )


def render_article(request, article):
    tags, previous, following, related, references = around(request, article)
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "tags": tags,
            "previous_article": previous,
            "next_article": following,
            "related_articles": related,
            "references": references,
        },
    )
    if not article.is_public:
        # Staff preview: never kept by a browser or a shared cache.
        add_never_cache_headers(response)
    return response


def article_print(request, year, month, day, slug):
    """<article URL>print/: the article as a handout to print or save as PDF, with the
    practice's name and phone and the date of its medical review."""
    articles = Article.objects.visible_to(request.user).select_related(
        "author", "category", "reviewed_by"
    )
    article = articles.at_permalink(year, month, day, slug).first()
    if article is None:
        raise Http404("No article at this address.")
    response = render(
        request,
        "articles/article_print.html",
        {"article": article, "references": list(article.references.all())},
    )
    if not article.is_public:
        add_never_cache_headers(response)
    return response


def preview(request, pk):
    # The public gets a plain 404, not a login page that would reveal a draft exists.
    if not (request.user.is_staff and request.user.has_perm("articles.view_article")):
        raise Http404("No article at this address.")
    article = get_object_or_404(
        Article.objects.select_related("author", "category", "reviewed_by"), pk=pk
    )
    if article.status == Article.Status.PUBLISHED:
        # Scheduled and published articles preview at their own (future) address.
        return redirect(article)
    return render_article(request, article)


def page_detail(request, slug):
    page = get_object_or_404(Page.objects.published(), slug=slug)
    return render(request, "articles/page_detail.html", {"page": page})


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


def server_error(request):
    """Django's own 500 view, plus the CSP nonce its inline <style> needs. Like Django's, it
    renders without context processors: they may be what failed."""
    nonce = getattr(request, "csp_nonce", None)  # lazy: falsy until read, so test for None
    html = loader.get_template("500.html").render(
        {"csp_nonce": "" if nonce is None else str(nonce)}
    )
    return HttpResponseServerError(html)
