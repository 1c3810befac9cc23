import datetime
import re

from django.db.models import Value
from django.http import Http404, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.text import Truncator
from django.views.generic import ListView

from authors.models import Author

from . import selectors
from .models import Article, Category, CategoryRedirect, Page, PageRedirect, Tag, TagRedirect
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
        if self.query is not None:
            return super().get_queryset().search(self.query)
        return Article.objects.published().for_home()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.query is not None:
            query = clean_query(self.query)
            add_snippets(context["articles"], query)
            context["search_query"] = query
            context["archive_title"] = f"Search results for “{Truncator(query).chars(80)}”"
        return context


class TermArchive(ArticleListView):
    """A category's or tag's archive; a slug staff changed answers with a 301 to the new one."""

    model = None
    redirect_model = None

    def get(self, request, *args, **kwargs):
        self.term = self.model.objects.filter(slug=kwargs["slug"]).first()
        if self.term is None:
            return moved_term(request, self.model, self.redirect_model, kwargs["slug"])
        return super().get(request, *args, **kwargs)


def moved_term(request, model, redirect_model, slug):
    """A 301 from an old slug's address (the archive, a page of it, its feed) to the new one."""
    field = model._meta.model_name
    old = redirect_model.objects.filter(slug=slug).select_related(field).first()
    if old is None:
        raise Http404(f"No {field} at this address.")
    prefix = f"/{field}/{slug}/"
    rest = request.path[len(prefix) :] if request.path.startswith(prefix) else ""
    return redirect(getattr(old, field).get_absolute_url() + rest, permanent=True)


class CategoryView(TermArchive):
    model, redirect_model = Category, CategoryRedirect

    def get_queryset(self):
        return super().get_queryset().filed_under(self.term)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            archive_title=f"Category: {self.term.name}",
            archive_description=self.term.description,
            archive_object=self.term,
            archive_feed=archive_feed(self.term, "articles:category-feed"),
            **kwargs,
        )


class TagView(TermArchive):
    model, redirect_model = Tag, TagRedirect

    def get_queryset(self):
        return super().get_queryset().filter(tags=self.term)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            archive_title=f"Tag: {self.term.name}",
            archive_object=self.term,
            archive_feed=archive_feed(self.term, "articles:tag-feed"),
            **kwargs,
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
    """/<yyyy>/, /<yyyy>/<mm>/ and /<yyyy>/<mm>/<dd>/, in the site's time zone."""

    def get_queryset(self):
        year = self.kwargs["year"]
        month = self.kwargs.get("month")
        day = self.kwargs.get("day")
        try:
            self.date = datetime.date(
                year, 1 if month is None else month, 1 if day is None else day
            )
        except ValueError:
            raise Http404("No such date.") from None
        articles = super().get_queryset()
        if day:
            return articles.filter(published_at__date=self.date)
        articles = articles.filter(published_at__year=year)
        if month:
            articles = articles.filter(published_at__month=month)
        return articles

    def get_context_data(self, **kwargs):
        if "day" in self.kwargs:
            label = f"{self.date:%B} {self.date.day}, {self.date.year}"
        elif "month" in self.kwargs:
            label = self.date.strftime("%B %Y")
        else:
            label = str(self.date.year)
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
    """Tags, other categories, previous, next and related articles: kept until public content
    changes."""
    if not article.is_public:
        return (*filing(article), None, None, [])
    # "filed": entries kept before an article could have several categories held four
    # values; their key is another one.
    return request.fragments.fetch(
        "around", lambda: (*filing(article), *selectors.reading_on(article)), article.pk, "filed"
    )


def filing(article):
    """(its tags, its categories besides the primary one), both read in one query."""
    tags = Tag.objects.filter(articles=article).order_by().values_list("name", "slug", Value(0))
    categories = (
        Category.objects.filter(articles=article)
        .exclude(pk=article.category_id)
        .order_by()
        .values_list("name", "slug", Value(1))
    )
    rows = sorted(tags.union(categories, all=True), key=lambda row: row[0].casefold())
    return (
        [Tag(name=name, slug=slug) for name, slug, kind in rows if kind == 0],
        [Category(name=name, slug=slug) for name, slug, kind in rows if kind == 1],
    )


def render_article(request, article):
    tags, other_categories, previous, following, related = around(request, article)
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "tags": tags,
            "other_categories": other_categories,
            "previous_article": previous,
            "next_article": following,
            "related_articles": related,
            "references": article.reference_list,
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
        {"article": article, "references": article.reference_list},
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


def page_detail(request, path):
    pages = Page.objects.published()
    page = pages.filter(path=path).first()
    if page is not None:
        return render(request, "articles/page_detail.html", {"page": page})
    moved = PageRedirect.objects.filter(path=path, page__in=pages).select_related("page").first()
    if moved is None and "/" not in path:
        # WordPress sends /<slug>/ on to the subpage of that slug when it is the only one.
        found = list(pages.filter(slug=path)[:2])
        if len(found) == 1:
            return redirect(found[0], permanent=True)
    if moved is None:
        raise Http404("No page at this address.")
    return redirect(moved.page, permanent=True)


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
