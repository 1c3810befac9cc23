"""WordPress posts and pages: articles at the same addresses, in all their categories, pinned
if they were sticky; pages at the same /<parent>/<slug>/; their HTML and shortcodes as Markdown,
their images copied (with --media-dir), their comments handed on."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.utils import timezone

from articles.models import Article, ArticleRedirect, Page, PageRedirect
from markup.bounds import too_deep
from markup.render import RenderRefused, markdown_to_html

from .content import plain_text, post_to_markdown
from .media import IMAGE_SUFFIXES, uploads_path
from .values import (
    WORDPRESS_SLUG,
    first_meta,
    integer,
    shorten,
    slug_allowed,
    wordpress_slug,
)

SKIPPED_STATUSES = {
    "trash": "in WordPress's trash",
    "auto-draft": "an auto-draft WordPress never saved",
    "inherit": "a revision",
}


class Posts:
    def __init__(self, run):
        self.run = run
        self.report = run.report
        self.articles = {}  # WordPress id -> Article pk
        self.pages = {}  # WordPress id -> Page pk
        self.orphans = {}  # Page pk -> WordPress id of a parent not imported yet
        self.created_pages = set()  # Page pks this import created
        # Every slug an article here has or had during this import: one that is not among them
        # cannot clash, with no query to ask (a few bytes an article).
        self.slugs = set(Article.objects.values_list("slug", flat=True))
        self.links = {}  # through model -> tag and category rows of new articles, not written yet
        # WordPress ids of the articles already here: a post that is not among them is new,
        # with no query to ask (ids only: a few bytes an article).
        self.known_articles = set(
            Article.objects.filter(wp_id__isnull=False).values_list("wp_id", flat=True)
        )

    def import_item(self, item):
        post_type = (item.get("wp:post_type") or "post").strip()
        wp_id = integer(item.get("wp:post_id"))
        kind = {"post": "posts", "page": "pages"}.get(post_type, "other items")
        status = (item.get("wp:status") or "").strip()
        if kind == "other items":
            what, reason = f"{post_type} {wp_id}", f"WordPress {post_type} items have no place here"
        elif not wp_id:
            what, reason = plain_text(item.get("title", "")), "no wp:post_id"
        else:
            what, reason = wp_id, SKIPPED_STATUSES.get(status)
        if reason:
            self.report.skip(kind, what, reason)
            for comment in item["comments"]:
                self.report.skip(
                    "comments", integer(comment.get("wp:comment_id")), "on a skipped item"
                )
        else:
            self.run.progress(f"{post_type} {wp_id}: {plain_text(item.get('title', ''))[:70]}")
            try:
                if post_type == "post":
                    self.import_post(wp_id, item)
                else:
                    self.import_page(wp_id, item)
            except RenderRefused as refused:
                # Refused by self.markdown(), before anything of the item was written.
                self.report.skip(kind, wp_id, str(refused))
                for comment in item["comments"]:
                    self.report.skip(
                        "comments", integer(comment.get("wp:comment_id")), "on a skipped item"
                    )

    def title_of(self, kind, wp_id, item, length):
        title = plain_text(item.get("title", ""))
        if not title:
            self.report.note(kind, f"{wp_id} has no title: called “Untitled”")
            return "Untitled"
        if len(title) > length:
            self.report.note(kind, f"{wp_id}: title shortened to {length} characters")
        return shorten(title, length)

    # posts

    def import_post(self, wp_id, item):
        run = self.run
        article = None
        if wp_id in self.known_articles:
            article = Article.objects.filter(wp_id=wp_id).first()
        if article is not None and self.edited_here("posts", wp_id, article):
            self.articles[wp_id] = article.pk
            run.comments.import_for(article, item["comments"])
            return
        title = self.title_of("posts", wp_id, item, 250)
        created = article is None
        status = item.get("wp:status", "").strip()
        password = (item.get("wp:post_password") or "").strip()
        if status in {"publish", "future"} and not password:
            article_status = Article.Status.PUBLISHED
            published_at = run.local_datetime(
                item.get("wp:post_date"), item.get("wp:post_date_gmt")
            )
            if published_at is None:
                # Published without a date: the first import's clock, kept on later ones.
                published_at = (article and article.published_at) or timezone.now()
        else:
            article_status, published_at = Article.Status.DRAFT, None
            if password:
                self.report.note("posts", f"{wp_id} “{title}” had a password: imported as a draft")
        slug, old_slug = wordpress_slug(item.get("wp:post_name"), title, f"post-{wp_id}", 200)
        if old_slug and item.get("wp:post_name"):
            self.report.note(
                "posts", f"{wp_id}: slug “{old_slug}” is now {slug} (old links redirect)"
            )
        category, categories = run.terms.categories_for(item)
        body = self.markdown(wp_id, item)
        values = {
            "title": title,
            "author_id": run.authors.author_for(item.get("dc:creator")).pk,
            "category_id": category.pk,
            "body": body,
            "excerpt": plain_text(item.get("excerpt:encoded", "")),
            "status": article_status,
            "published_at": published_at,
            "comments_open": (item.get("wp:comment_status") or "open").strip() == "open",
            "is_sticky": integer(item.get("wp:is_sticky")) == 1,
        }
        if created:
            # The category given here, so the field's default (a query) is not asked for.
            article = Article(wp_id=wp_id, category_id=category.pk)
        if published_at and (created or article.slug != slug):
            slug = self.free_article_slug(article, slug, published_at)
        values["slug"] = slug
        changed = created or any(getattr(article, k) != v for k, v in values.items())
        for key, value in values.items():
            setattr(article, key, value)
        featured = self.featured_image(wp_id, item, title)
        if featured and article.featured_image.name != featured[0]:
            article.featured_image, article.featured_image_alt = featured
            changed = True
        if changed:
            article.save()
        self.known_articles.add(wp_id)
        self.slugs.add(article.slug)
        tags = {tag.pk for tag in run.terms.tags_for(item)}
        filed = {c.pk for c in categories}
        if created:
            # A new article has no tags or categories yet: their rows are written directly, a
            # batch of articles' at a time (the article's own save has already told public pages).
            for through, column, pks in (
                (Article.tags.through, "tag_id", tags),
                (Article.categories.through, "category_id", filed),
            ):
                self.links.setdefault(through, []).extend(
                    through(article_id=article.pk, **{column: pk}) for pk in sorted(pks)
                )
            if sum(map(len, self.links.values())) >= 500:
                self.write_links()
        else:
            self.write_links()  # this article's may be among them (an export listing it twice)
            if set(article.tags.values_list("pk", flat=True)) != tags:
                article.tags.set(tags)
                changed = True
            if set(article.categories.values_list("pk", flat=True)) != filed:
                article.categories.set(filed)
                changed = True
        changed |= self.set_updated_at(article, item, created)
        if article.status == Article.Status.PUBLISHED:
            old_slugs = [old_slug] + [unquote(s) for s in item["meta"].get("_wp_old_slug", [])]
            changed |= self.keep_old_slugs(article, old_slugs)
        self.run.fingerprints.remember(article, tags, filed)
        self.articles[wp_id] = article.pk
        self.report.count("posts", "created" if created else "updated" if changed else "unchanged")
        run.comments.import_for(article, item["comments"], new_target=created)

    def edited_here(self, kind, wp_id, row):
        """Staff changed the row here since the last import: it stays as they left it (and is
        listed), unless the import was told to --overwrite."""
        if self.run.overwrite or not self.run.fingerprints.edited_here(row):
            return False
        self.report.edited_here(kind, wp_id, row.title, row.get_absolute_url())
        return True

    def set_updated_at(self, article, item, created):
        modified = self.run.local_datetime(
            item.get("wp:post_modified"), item.get("wp:post_modified_gmt")
        )
        if modified is None:
            return False
        if article.published_at and modified < article.published_at:
            modified = article.published_at  # edited before a scheduled publication
        if article.updated_at == modified:
            return False
        # Article.save() stamps updated_at with the clock; WordPress knows when it really was.
        Article.objects.filter(pk=article.pk).update(updated_at=modified)
        article.updated_at = modified
        return not created

    def keep_old_slugs(self, article, old_slugs):
        changed = False
        date = article.local_date
        for old in filter(None, old_slugs):
            if old == article.slug or not WORDPRESS_SLUG.fullmatch(old):
                continue
            _, created = ArticleRedirect.objects.update_or_create(
                date=date, slug=old[:200], defaults={"article": article}
            )
            changed |= created
        return changed

    def free_article_slug(self, article, slug, published_at):
        """Two articles may not share an address: a clash with one already here gets -2, -3…"""
        date = timezone.localtime(published_at, self.run.tz).date()
        candidate, n = slug, 1
        others = Article.objects.exclude(pk=article.pk) if article.pk else Article.objects.all()
        while candidate in self.slugs and (
            others.filter(slug=candidate, published_at__date=date).exists()
        ):
            n += 1
            candidate = f"{slug[: 200 - len(str(n)) - 1]}-{n}"
        if candidate != slug:
            self.report.note(
                "posts", f"{article.wp_id}: /{slug}/ was taken that day; now {candidate}"
            )
        return candidate

    # what posts and pages say

    def markdown(self, wp_id, item):
        site = self.run.site

        def gallery_images(ids):
            if ids is None:
                found = sorted(site.attachments_of.get(wp_id, []), key=lambda a: (a.order, a.wp_id))
                missing = 0
            else:
                found = [site.attachments[i] for i in ids if i in site.attachments]
                missing = len(ids) - len(found)
            # Their addresses are rewritten with the post's other images.
            images = [
                (a.url, a.alt or a.title, a.caption)
                for a in found
                if Path(urlsplit(a.url).path).suffix.lower() in IMAGE_SUFFIXES
            ]
            return images, missing

        try:
            body, conversion = post_to_markdown(
                item.get("content:encoded", ""),
                gallery_images=gallery_images,
                rewrite_url=self.rewrite_url,
                footnotes=first_meta(item["meta"], "footnotes"),
            )
        except RecursionError:
            # HTML nested deeper than Python recurses (Beautiful Soup and markdownify walk the
            # tree by recursion): skipped and reported like a text the renderer refuses.
            raise too_deep("tags") from None
        if conversion.unresolved_galleries:
            self.report.note("posts", f"{wp_id}: a [gallery] whose images are not in the export")
        for name in sorted(conversion.unknown_shortcodes):
            self.report.note("posts", f"{wp_id}: shortcode [{name}] left as text")
        self.report.blocks(wp_id, conversion.blocks)
        # Raises RenderRefused for a body the renderer cannot take (the item is skipped); the
        # save renders it again from the renderer's cache.
        markdown_to_html(body)
        return body

    def rewrite_url(self, url, kind):
        """Our address for an image or a link of a post, noting what keeps its old address."""
        url = url.strip()
        parts = urlsplit(url)
        if uploads_path(url) is not None and (parts.netloc or url.startswith("/")):
            is_image = Path(parts.path).suffix.lower() in IMAGE_SUFFIXES
            new = self.run.media.image_url(url) if is_image else None
            if new:
                return new
            self.report.keep_external(url, image=is_image)
            return url
        if kind == "img":
            self.report.keep_external(url)
            return url
        host = (parts.hostname or "").lower().removeprefix("www.")
        if parts.scheme in {"http", "https"} and host in self.run.site.hosts:
            # A link to another post of the old blog: same path here.
            return (
                (parts.path or "/")
                + (f"?{parts.query}" if parts.query else "")
                + (f"#{parts.fragment}" if parts.fragment else "")
            )
        return url

    def featured_image(self, wp_id, item, title):
        media = self.run.media
        thumbnail = integer(first_meta(item["meta"], "_thumbnail_id"))
        if not thumbnail:
            return None
        attachment = self.run.site.attachments.get(thumbnail)
        if attachment is None:
            self.report.note(
                "posts", f"{wp_id}: its featured image ({thumbnail}) is not in the export"
            )
            return None
        name = media.store(attachment.url)
        if name is None:
            self.report.keep_external(attachment.url)
            return None
        if media.dry_run:
            return None  # nothing was copied, so there is no file to point at
        return name, shorten(attachment.alt or attachment.title or title, 250)

    # pages

    def import_page(self, wp_id, item):
        title = self.title_of("pages", wp_id, item, 200)
        status = (item.get("wp:status") or "").strip()
        password = (item.get("wp:post_password") or "").strip()
        if password:
            self.report.note("pages", f"{wp_id} “{title}” had a password: imported unpublished")
        slug, old = wordpress_slug(item.get("wp:post_name"), title, f"page-{wp_id}", 100)
        if not slug_allowed(slug):
            self.report.note(
                "pages", f"/{slug}/ is one of the site's own addresses: now /{slug}-page/"
            )
            slug = f"{slug}-page"
        if old:
            self.report.note("pages", f"/{old}/ is now /{slug}/")
        parent_wp_id = integer(item.get("wp:post_parent"))
        parent_pk = self.pages.get(parent_wp_id)
        if parent_wp_id and parent_pk is None:
            parent_pk = Page.objects.filter(wp_id=parent_wp_id).values_list("pk", flat=True).first()
        page = Page.objects.filter(wp_id=wp_id).first()
        if page is not None and self.edited_here("pages", wp_id, page):
            self.pages[wp_id] = page.pk
            self.run.comments.import_for(page, item["comments"])
            return
        if page is None:
            page = Page.objects.filter(slug=slug, parent_id=parent_pk, wp_id__isnull=True).first()
            if page is not None:
                self.report.note("pages", f"/{page.path}/ existed: it now holds WordPress's page")
        created = page is None
        if created:
            page = Page(wp_id=wp_id)
        if page.slug != slug or page.parent_id != parent_pk:
            slug = self.free_page_slug(page, slug, parent_pk)
        values = {
            "wp_id": wp_id,
            "title": title,
            "slug": slug,
            "parent_id": parent_pk,
            "body": self.markdown(wp_id, item),
            "is_published": status == "publish" and not password,
            "menu_order": min(max(integer(item.get("wp:menu_order")), 0), 32767),
            "comments_open": (item.get("wp:comment_status") or "closed").strip() == "open",
        }
        changed = created or any(getattr(page, k) != v for k, v in values.items())
        if changed:
            for key, value in values.items():
                setattr(page, key, value)
            page.save()
        if parent_wp_id and parent_pk is None:
            # Its parent comes later in the export: placed below it at the end (`finish`).
            self.orphans[page.pk] = parent_wp_id
        if created:
            self.created_pages.add(page.pk)
        self.run.fingerprints.remember(page)
        self.pages[wp_id] = page.pk
        self.report.count("pages", "created" if created else "updated" if changed else "unchanged")
        self.run.comments.import_for(page, item["comments"], new_target=created)

    def free_page_slug(self, page, slug, parent_pk):
        """Two pages may not share an address: a clash with a sibling gets -2, -3…"""
        siblings = Page.objects.filter(parent_id=parent_pk).exclude(pk=page.pk)
        candidate, n = slug, 1
        while siblings.filter(slug=candidate).exists():
            n += 1
            candidate = f"{slug[: 100 - len(str(n)) - 1]}-{n}"
        if candidate != slug:
            self.report.note("pages", f"{page.wp_id}: /{slug}/ was taken; now /{candidate}/")
        return candidate

    def write_links(self):
        for through, rows in self.links.items():
            through.objects.bulk_create(rows)
        self.links = {}

    def finish(self):
        """Subpages whose parent came after them in the export go below it now (and the tags and
        categories of new articles still waiting are written)."""
        self.write_links()
        for pk, parent_wp_id in self.orphans.items():
            page = Page.objects.get(pk=pk)
            parent_pk = self.pages.get(parent_wp_id)
            if parent_pk is None:
                self.report.note(
                    "pages",
                    f"{page.wp_id}: its parent page ({parent_wp_id}) is not in the export: "
                    f"now at /{page.path}/",
                )
                continue
            page.parent_id = parent_pk
            page.slug = self.free_page_slug(page, page.slug, parent_pk)
            page.save()
            self.run.fingerprints.remember(page)  # what this import wrote, its place included
        # Pages this import created had no address before it; the ones they had for a moment,
        # before their parent came, were never linked to.
        PageRedirect.objects.filter(page_id__in=self.created_pages).delete()
