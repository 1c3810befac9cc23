"""Importing a WordPress export: authors, categories, tags, posts, pages, comments, attachments.

`import_wordpress()` is the whole of it; the management command only reports. The file is read
twice, both times by streaming: first for what posts refer to (authors, terms, attachments), and
to find a broken file before anything is written; then for the posts and pages themselves.
Everything is written in one transaction (rolled back for a dry run), inside
`articles.signals.importing()`, so listeners send no mail. Comments are written as rows, never
through the comment form's flow, so no confirmation, follow-up or moderation mail is queued.

Every row keeps its WordPress id (`wp_id`): a second import updates what changed and adds
nothing twice.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_ipv46_address
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import (
    Article,
    ArticleRedirect,
    Category,
    Page,
    Tag,
    WordPressAttachment,
    default_category_id,
    validate_slug_not_reserved,
)
from articles.signals import importing
from authors.models import Author
from comments.importing import ImportedComment, Status, import_comments

from . import wxr
from .content import comment_to_text, plain_text, post_to_markdown
from .media import IMAGE_SUFFIXES, Media, uploads_path
from .report import Report
from .wxr import WXRError

BATCH = 500
COMMENT_STATUS = {
    "1": Status.APPROVED,
    "approve": Status.APPROVED,
    "0": Status.PENDING,
    "hold": Status.PENDING,
    "spam": Status.SPAM,
    "trash": Status.REMOVED,
    "post-trashed": Status.REMOVED,
}
SKIPPED_STATUSES = {
    "trash": "in WordPress's trash",
    "auto-draft": "an auto-draft WordPress never saved",
    "inherit": "a revision",
}
ASCII_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
WORDPRESS_SLUG = re.compile(r"[-\w]+")


def import_wordpress(paths, *, media_dir=None, dry_run=False, create_users=False, progress=None):
    """Import the WordPress export(s) at `paths`; returns a Report. Raises WXRError, having
    written nothing, for a file that cannot be read or is not a WordPress export."""
    if media_dir is not None and not Path(media_dir).is_dir():
        raise WXRError(
            f"--media-dir {media_dir} is not a directory (a copy of wp-content/uploads)."
        )
    documents = wxr.sources(paths)
    site = scan(documents)
    report = Report()
    report.dry_run = dry_run
    media = Media(media_dir, report, dry_run=dry_run)
    # The flag wraps the transaction, so on_commit callbacks see it as well.
    with importing(), transaction.atomic():
        Importer(site, report, media, create_users, progress).run(documents)
        if dry_run:
            transaction.set_rollback(True)
    return report


# --- first pass: what posts refer to ------------------------------------------------------------


@dataclass
class Attachment:
    wp_id: int
    parent: int
    url: str
    slug: str
    title: str
    alt: str
    order: int


@dataclass
class Site:
    hosts: set = field(default_factory=set)
    authors: dict = field(default_factory=dict)  # login -> fields
    categories: dict = field(default_factory=dict)  # nicename -> fields
    tags: dict = field(default_factory=dict)  # slug -> fields
    attachments: dict = field(default_factory=dict)  # id -> Attachment
    attachments_of: dict = field(default_factory=dict)  # post id -> [Attachment]


def scan(documents):
    """Read the channel-level definitions and the attachments of every document."""
    site = Site()
    for document in documents:
        for name, element in wxr.iter_channel(document):
            if name == "wp:author":
                data = wxr.read_simple(element)
                site.authors.setdefault(data.get("wp:author_login", "").strip(), data)
            elif name == "wp:category":
                data = wxr.read_simple(element)
                site.categories.setdefault(data.get("wp:category_nicename", "").strip(), data)
            elif name == "wp:tag":
                data = wxr.read_simple(element)
                site.tags.setdefault(data.get("wp:tag_slug", "").strip(), data)
            elif name in {"wp:base_site_url", "wp:base_blog_url", "link"}:
                parts = urlsplit(wxr.text_of(element))
                if parts.hostname and parts.path.strip("/") == "":
                    site.hosts.add(parts.hostname.lower().removeprefix("www."))
            elif name == "item" and wxr.post_type_of(element) == "attachment":
                item = wxr.read_item(element)
                attachment = Attachment(
                    wp_id=_int(item.get("wp:post_id")),
                    parent=_int(item.get("wp:post_parent")),
                    url=(item.get("wp:attachment_url") or item.get("guid") or "").strip(),
                    slug=unquote(item.get("wp:post_name", "").strip()),
                    title=plain_text(item.get("title", "")),
                    alt=_first(item["meta"], "_wp_attachment_image_alt"),
                    order=_int(item.get("wp:menu_order")),
                )
                if attachment.wp_id and attachment.url:
                    site.attachments[attachment.wp_id] = attachment
                    site.attachments_of.setdefault(attachment.parent, []).append(attachment)
    site.authors.pop("", None)
    site.categories.pop("", None)
    site.tags.pop("", None)
    return site


def _int(value):
    try:
        return int(str(value or "0").strip())
    except ValueError:
        return 0


def _first(meta, key):
    values = meta.get(key) or [""]
    return (values[0] or "").strip()


def shorten(text, length):
    """At most `length` characters, cut at a word where there is one, ending in "…"."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut[length // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


def parse_wp_date(value):
    """A naive datetime from WordPress's "YYYY-MM-DD HH:MM:SS"; None for "0000-00-00 …"."""
    try:
        return datetime.datetime.strptime((value or "").strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


# --- second pass: rows --------------------------------------------------------------------------


class Importer:
    def __init__(self, site, report, media, create_users=False, progress=None):
        self.site = site
        self.report = report
        self.media = media
        self.create_users = create_users
        self.progress = progress or (lambda message: None)
        self.tz = timezone.get_current_timezone()
        self.authors = {}  # login -> Author
        self.users = {}  # WordPress user id -> User id
        self.categories = {}  # nicename -> Category
        self.tags = {}  # slug -> Tag
        self.articles = {}  # WordPress id -> Article pk
        self.pages = {}  # WordPress id -> Page pk
        self.dates_checked = 0
        self.dates_off = 0

    def run(self, documents):
        self.import_authors()
        self.import_categories()
        self.import_tags()
        for document in documents:
            for name, element in wxr.iter_channel(document):
                if name == "item" and wxr.post_type_of(element) != "attachment":
                    self.import_item(wxr.read_item(element))
        self.import_attachments()
        if self.dates_off:
            self.report.note(
                "dates",
                f"{self.dates_off} of {self.dates_checked} dates in the export are not their "
                f"UTC time in TIME_ZONE={settings.TIME_ZONE}: the old blog used another time "
                "zone. Set TIME_ZONE to it and import again, or old links to posts published "
                "near midnight will miss.",
            )

    # authors

    def import_authors(self):
        for login, data in self.site.authors.items():
            self.authors[login] = self.author(login, data)

    def author(self, login, data):
        wp_id = _int(data.get("wp:author_id")) or None
        full = " ".join(
            filter(None, [data.get("wp:author_first_name"), data.get("wp:author_last_name")])
        )
        name = shorten(
            plain_text(data.get("wp:author_display_name") or full or login) or login, 120
        )
        slug = slugify(login)[:120] or f"author-{wp_id}"
        author = Author.objects.filter(wp_id=wp_id).first() if wp_id else None
        # Bylines are edited here (credentials, bio): an author, once here, is left as it is.
        outcome = "unchanged"
        if author is None:
            author = Author.objects.filter(slug=slug).first()
            if author is not None and None in (author.wp_id, wp_id):
                # Staff made this author before the import (or the export gives no id): the
                # same person. Their byline stays as staff wrote it.
                if wp_id is not None:
                    self.report.note("authors", f"{login} is the existing author /author/{slug}/")
                    author.wp_id, outcome = wp_id, "updated"
                    author.save()
            else:
                author = Author(name=name, slug=self.free_slug(Author, slug, 120), wp_id=wp_id)
                author.save()
                outcome = "created"
        self.report.count("authors", outcome)
        if self.create_users:
            self.link_user(author, login, data)
        if wp_id and author.user_id:
            self.users[wp_id] = author.user_id
        return author

    def link_user(self, author, login, data):
        """A staff account in the Authors group for a WordPress author, without a password: they
        set one through `manage.py changepassword`, or an editor does it for them."""
        User = get_user_model()
        username = login[:150]
        user = User.objects.filter(username=username).first()
        if user is None:
            email = (data.get("wp:author_email") or "").strip()
            user = User(
                username=username,
                email=email if _valid_email(email) else "",
                first_name=(data.get("wp:author_first_name") or "")[:150],
                last_name=(data.get("wp:author_last_name") or "")[:150],
                is_staff=True,
            )
            user.set_unusable_password()
            user.save()
            group = Group.objects.filter(name="Authors").first()
            if group:
                user.groups.add(group)
            self.report.count("users", "created")
        else:
            self.report.count("users", "unchanged")
        if author.user_id is None and not Author.objects.filter(user=user).exists():
            author.user = user
            author.save()

    def author_for(self, login):
        login = (login or "").strip()
        if login not in self.authors:
            # A post by someone the export does not list (WordPress.com does this for guests).
            self.report.note("authors", f"{login or '(nobody)'} is not among the export's authors")
            self.authors[login] = self.author(login or "unknown", {})
        return self.authors[login]

    # categories and tags

    def import_categories(self):
        for nicename, data in self.site.categories.items():
            self.categories[nicename] = self.term(
                Category,
                "categories",
                _int(data.get("wp:term_id")) or None,
                nicename,
                plain_text(data.get("wp:cat_name") or nicename),
                description=plain_text(data.get("wp:category_description", "")),
            )
        for nicename, data in self.site.categories.items():
            category = self.categories[nicename]
            parent = self.categories.get((data.get("wp:category_parent") or "").strip())
            parent_id = parent.pk if parent is not None and parent != category else None
            if category.parent_id != parent_id:
                category.parent_id = parent_id
                category.save(update_fields=["parent"])

    def import_tags(self):
        for slug, data in self.site.tags.items():
            self.tags[slug] = self.term(
                Tag,
                "tags",
                _int(data.get("wp:term_id")) or None,
                slug,
                plain_text(data.get("wp:tag_name") or slug),
            )

    def term(self, model, kind, wp_id, nicename, name, **extra):
        name = shorten(name or nicename, 100)
        slug, old = self.ascii_slug(nicename, name, f"{kind[:-1]}-{wp_id}", 100)
        if model is Category and not _slug_allowed(slug):
            slug = f"{slug}-category"
            self.report.note(kind, f"/category/{nicename}/ is one of the site's own addresses")
        if old:
            self.report.note(kind, f"{name}: /{kind[:-1]}/{old}/ is now /{kind[:-1]}/{slug}/")
        term = model.objects.filter(wp_id=wp_id).first() if wp_id else None
        if term is None:
            # A term staff made before the import (like "Uncategorized") is the same term; so is
            # one a post names without the export listing it (no id to go by).
            term = model.objects.filter(slug=slug).first()
            if term is not None and None not in (term.wp_id, wp_id) and term.wp_id != wp_id:
                term = None
                slug = self.free_slug(model, slug, 100)
        values = {"name": name, **extra}
        if wp_id is not None:
            values["wp_id"] = wp_id
        if term is None:
            term = model.objects.create(slug=slug, **values)
            self.report.count(kind, "created")
        elif any(getattr(term, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(term, key, value)
            term.save()
            self.report.count(kind, "updated")
        else:
            self.report.count(kind, "unchanged")
        return term

    def category_for(self, item):
        categories = []
        for domain, nicename, name in item["terms"]:
            if domain != "category":
                continue
            nicename = nicename.strip() or slugify(name)
            if nicename not in self.categories:
                self.categories[nicename] = self.term(
                    Category, "categories", None, nicename, plain_text(name)
                )
            categories.append(self.categories[nicename])
        if not categories:
            return Category.objects.get(pk=default_category_id()), []
        # One category per article here; WordPress allowed several. Prefer a real one.
        named = [c for c in categories if c.slug != "uncategorized"] or categories
        return named[0], named[1:]

    def tags_for(self, item):
        tags = []
        for domain, nicename, name in item["terms"]:
            if domain != "post_tag":
                continue
            nicename = nicename.strip() or slugify(name)
            if nicename not in self.tags:
                self.tags[nicename] = self.term(Tag, "tags", None, nicename, plain_text(name))
            tags.append(self.tags[nicename])
        return tags

    # posts and pages

    def import_item(self, item):
        post_type = (item.get("wp:post_type") or "post").strip()
        wp_id = _int(item.get("wp:post_id"))
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
                    "comments", _int(comment.get("wp:comment_id")), "on a skipped item"
                )
        elif post_type == "post":
            self.progress(f"post {wp_id}: {plain_text(item.get('title', ''))[:70]}")
            self.import_post(wp_id, item)
        else:
            self.progress(f"page {wp_id}: {plain_text(item.get('title', ''))[:70]}")
            self.import_page(wp_id, item)

    def title_of(self, kind, wp_id, item, length):
        title = plain_text(item.get("title", ""))
        if not title:
            self.report.note(kind, f"{wp_id} has no title: called “Untitled”")
            return "Untitled"
        if len(title) > length:
            self.report.note(kind, f"{wp_id}: title shortened to {length} characters")
        return shorten(title, length)

    def local_datetime(self, local, gmt):
        """An aware datetime for WordPress's local `post_date`, read in TIME_ZONE.

        Permalinks hold the local date, so the local time is what counts. The UTC time beside
        it only settles the hour that happens twice when clocks go back, and tells us whether
        TIME_ZONE is the old blog's time zone.
        """
        naive, utc = parse_wp_date(local), parse_wp_date(gmt)
        if naive is None:
            return utc.replace(tzinfo=datetime.UTC) if utc else None
        # In UTC, so it compares equal to what the database returns: an aware time in a
        # repeated hour never equals one in another zone (PEP 495).
        candidates = [
            naive.replace(tzinfo=self.tz, fold=fold).astimezone(datetime.UTC) for fold in (0, 1)
        ]
        if utc is not None:
            utc = utc.replace(tzinfo=datetime.UTC)
            self.dates_checked += 1
            if utc in candidates:
                return utc
            self.dates_off += 1
        # The earlier of a repeated hour; a time skipped by the clocks lands just after the gap,
        # on the same day either way.
        return candidates[0]

    def import_post(self, wp_id, item):
        title = self.title_of("posts", wp_id, item, 250)
        article = Article.objects.filter(wp_id=wp_id).first()
        created = article is None
        status = item.get("wp:status", "").strip()
        password = (item.get("wp:post_password") or "").strip()
        if status in {"publish", "future"} and not password:
            article_status = Article.Status.PUBLISHED
            published_at = self.local_datetime(
                item.get("wp:post_date"), item.get("wp:post_date_gmt")
            )
            if published_at is None:
                # Published without a date: the first import's clock, kept on later ones.
                published_at = (article and article.published_at) or timezone.now()
        else:
            article_status, published_at = Article.Status.DRAFT, None
            if password:
                self.report.note("posts", f"{wp_id} “{title}” had a password: imported as a draft")
        slug, old_slug = self.ascii_slug(item.get("wp:post_name"), title, f"post-{wp_id}", 200)
        if old_slug and item.get("wp:post_name"):
            self.report.note(
                "posts", f"{wp_id}: slug “{old_slug}” is now {slug} (old links redirect)"
            )
        category, others = self.category_for(item)
        if others:
            self.report.note(
                "posts",
                f"{wp_id} is in “{category.name}” only (WordPress also had it in "
                + ", ".join(f"“{c.name}”" for c in others)
                + ")",
            )
        body = self.markdown(wp_id, item)
        values = {
            "title": title,
            "author_id": self.author_for(item.get("dc:creator")).pk,
            "category_id": category.pk,
            "body": body,
            "excerpt": plain_text(item.get("excerpt:encoded", "")),
            "status": article_status,
            "published_at": published_at,
            "comments_open": (item.get("wp:comment_status") or "open").strip() == "open",
        }
        if created:
            article = Article(wp_id=wp_id)
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
        tags = {tag.pk for tag in self.tags_for(item)}
        if created or set(article.tags.values_list("pk", flat=True)) != tags:
            article.tags.set(tags)
            changed = True
        changed |= self.set_updated_at(article, item, created)
        if article.status == Article.Status.PUBLISHED:
            old_slugs = [old_slug] + [unquote(s) for s in item["meta"].get("_wp_old_slug", [])]
            changed |= self.keep_old_slugs(article, old_slugs)
        self.articles[wp_id] = article.pk
        self.report.count("posts", "created" if created else "updated" if changed else "unchanged")
        self.import_comments(article, item["comments"])

    def set_updated_at(self, article, item, created):
        modified = self.local_datetime(
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
        date = timezone.localtime(published_at, self.tz).date()
        candidate, n = slug, 1
        others = Article.objects.exclude(pk=article.pk) if article.pk else Article.objects.all()
        while others.filter(slug=candidate, published_at__date=date).exists():
            n += 1
            candidate = f"{slug[: 200 - len(str(n)) - 1]}-{n}"
        if candidate != slug:
            self.report.note(
                "posts", f"{article.wp_id}: /{slug}/ was taken that day; now {candidate}"
            )
        return candidate

    def markdown(self, wp_id, item):
        def gallery_images(ids):
            if ids is None:
                found = sorted(
                    self.site.attachments_of.get(wp_id, []), key=lambda a: (a.order, a.wp_id)
                )
                missing = 0
            else:
                found = [self.site.attachments[i] for i in ids if i in self.site.attachments]
                missing = len(ids) - len(found)
            # Their addresses are rewritten with the post's other images.
            images = [
                (a.url, a.alt or a.title)
                for a in found
                if Path(urlsplit(a.url).path).suffix.lower() in IMAGE_SUFFIXES
            ]
            return images, missing

        body, conversion = post_to_markdown(
            item.get("content:encoded", ""),
            gallery_images=gallery_images,
            rewrite_url=self.rewrite_url,
        )
        if conversion.unresolved_galleries:
            self.report.note("posts", f"{wp_id}: a [gallery] whose images are not in the export")
        for name in sorted(conversion.unknown_shortcodes):
            self.report.note("posts", f"{wp_id}: shortcode [{name}] left as text")
        return body

    def rewrite_url(self, url, kind):
        """Our address for an image or a link of a post, noting what keeps its old address."""
        url = url.strip()
        parts = urlsplit(url)
        if uploads_path(url) is not None and (parts.netloc or url.startswith("/")):
            is_image = Path(parts.path).suffix.lower() in IMAGE_SUFFIXES
            new = self.media.image_url(url) if is_image else None
            if new:
                return new
            self.report.keep_external(url, image=is_image)
            return url
        if kind == "img":
            self.report.keep_external(url)
            return url
        host = (parts.hostname or "").lower().removeprefix("www.")
        if parts.scheme in {"http", "https"} and host in self.site.hosts:
            # A link to another post of the old blog: same path here.
            return (
                (parts.path or "/")
                + (f"?{parts.query}" if parts.query else "")
                + (f"#{parts.fragment}" if parts.fragment else "")
            )
        return url

    def featured_image(self, wp_id, item, title):
        thumbnail = _int(_first(item["meta"], "_thumbnail_id"))
        if not thumbnail:
            return None
        attachment = self.site.attachments.get(thumbnail)
        if attachment is None:
            self.report.note(
                "posts", f"{wp_id}: its featured image ({thumbnail}) is not in the export"
            )
            return None
        name = self.media.store(attachment.url)
        if name is None:
            self.report.keep_external(attachment.url)
            return None
        if self.media.dry_run:
            return None  # nothing was copied, so there is no file to point at
        return name, shorten(attachment.alt or attachment.title or title, 250)

    def import_page(self, wp_id, item):
        title = self.title_of("pages", wp_id, item, 200)
        status = (item.get("wp:status") or "").strip()
        password = (item.get("wp:post_password") or "").strip()
        if password:
            self.report.note("pages", f"{wp_id} “{title}” had a password: imported unpublished")
        slug, old = self.ascii_slug(item.get("wp:post_name"), title, f"page-{wp_id}", 100)
        if not _slug_allowed(slug):
            self.report.note(
                "pages", f"/{slug}/ is one of the site's own addresses: now /{slug}-page/"
            )
            slug = f"{slug}-page"
        if old:
            self.report.note("pages", f"/{old}/ is now /{slug}/")
        if _int(item.get("wp:post_parent")):
            self.report.note("pages", f"{title}: a subpage in WordPress, now at /{slug}/")
        page = Page.objects.filter(wp_id=wp_id).first()
        if page is None:
            page = Page.objects.filter(slug=slug, wp_id__isnull=True).first()
            if page is not None:
                self.report.note("pages", f"/{slug}/ existed: it now holds WordPress's page")
        created = page is None
        if created:
            page = Page(wp_id=wp_id)
        if page.slug != slug:
            slug = self.free_slug(Page, slug, 100, exclude=page.pk)
        values = {
            "wp_id": wp_id,
            "title": title,
            "slug": slug,
            "body": self.markdown(wp_id, item),
            "is_published": status == "publish" and not password,
            "menu_order": min(max(_int(item.get("wp:menu_order")), 0), 32767),
        }
        changed = created or any(getattr(page, k) != v for k, v in values.items())
        if changed:
            for key, value in values.items():
                setattr(page, key, value)
            page.save()
        self.pages[wp_id] = page.pk
        self.report.count("pages", "created" if created else "updated" if changed else "unchanged")
        for comment in item["comments"]:
            self.report.skip("comments", _int(comment.get("wp:comment_id")), "on a page")

    def ascii_slug(self, wp_slug, title, fallback, length):
        """(slug, the WordPress slug it replaces or None). WordPress percent-encodes non-ASCII
        slugs; ours are ASCII, and the old one is kept as a redirect where it can be."""
        raw = unquote((wp_slug or "").strip())
        if raw and ASCII_SLUG.fullmatch(raw):
            return raw[:length], None
        slug = slugify(raw)[:length].strip("-") or slugify(title)[:length].strip("-") or fallback
        return slug, (raw or None)

    def free_slug(self, model, slug, length, exclude=None):
        candidate, n = slug, 1
        while model.objects.filter(slug=candidate).exclude(pk=exclude).exists():
            n += 1
            candidate = f"{slug[: length - len(str(n)) - 1]}-{n}"
        return candidate

    # comments

    def import_comments(self, article, comments):
        rows = []
        for data in comments:
            wp_id = _int(data.get("wp:comment_id"))
            kind = (data.get("wp:comment_type") or "").strip()
            if kind in {"pingback", "trackback"}:
                self.report.skip(
                    "comments", wp_id, "a pingback or trackback, not a reader's comment"
                )
            elif not wp_id:
                self.report.skip("comments", "(no id)", "no wp:comment_id")
            else:
                rows.append(self.comment_row(article, wp_id, data))
        if not rows:
            return
        result = import_comments(article, rows)
        for wp_id, parent in result.orphans:
            self.report.note(
                "comments",
                f"{wp_id} replied to {parent}, which is not in the export "
                "(or is a pingback): now a top-level comment",
            )
        if result.moved:
            replies = "1 reply" if result.moved == 1 else f"{result.moved} replies"
            self.report.note(
                "comments",
                f"{replies} on “{article.title}” nested deeper than "
                f"COMMENTS_MAX_DEPTH={settings.COMMENTS_MAX_DEPTH}: shown under an earlier "
                "comment of their thread",
            )
        self.report.count("comments", "created", result.created)
        self.report.count("comments", "updated", result.updated)
        self.report.count("comments", "unchanged", result.unchanged)

    def comment_row(self, article, wp_id, data):
        status = COMMENT_STATUS.get((data.get("wp:comment_approved") or "").strip().lower())
        name = plain_text(data.get("wp:comment_author", "")) or "Anonymous"
        if len(name) > 50:
            self.report.note("comments", f"{wp_id}: name shortened to 50 characters")
        email = (data.get("wp:comment_author_email") or "").strip()
        url = (data.get("wp:comment_author_url") or "").strip()
        ip = (data.get("wp:comment_author_IP") or "").strip()
        return ImportedComment(
            wp_id=wp_id,
            wp_parent_id=_int(data.get("wp:comment_parent")) or None,
            user_name=shorten(name, 50),
            user_email=email if _valid_email(email) else "",
            user_url=url if url.startswith(("http://", "https://")) and len(url) <= 200 else "",
            user_id=self.users.get(_int(data.get("wp:comment_user_id"))),
            text=comment_to_text(data.get("wp:comment_content", "")),
            submit_date=self.local_datetime(
                data.get("wp:comment_date"), data.get("wp:comment_date_gmt")
            )
            or article.published_at
            or timezone.now(),
            ip_address=ip if _valid_ip(ip) else None,
            status=status or Status.PENDING,
        )

    # attachments

    def import_attachments(self):
        attachments = list(self.site.attachments.values())
        for start in range(0, len(attachments), BATCH):
            batch = attachments[start : start + BATCH]
            existing = {
                a.wp_id: a
                for a in WordPressAttachment.objects.filter(wp_id__in=[a.wp_id for a in batch])
            }
            new, changed = [], []
            for attachment in batch:
                values = {
                    "slug": attachment.slug[:200],
                    "article_id": self.articles.get(attachment.parent),
                    "page_id": self.pages.get(attachment.parent),
                    "url": (self.media.image_url_if_copied(attachment.url) or attachment.url)[:500],
                }
                row = existing.get(attachment.wp_id)
                if row is None:
                    new.append(WordPressAttachment(wp_id=attachment.wp_id, **values))
                elif any(getattr(row, k) != v for k, v in values.items()):
                    for key, value in values.items():
                        setattr(row, key, value)
                    changed.append(row)
            WordPressAttachment.objects.bulk_create(new)
            if changed:
                WordPressAttachment.objects.bulk_update(changed, ["slug", "article", "page", "url"])
            self.report.count("attachments", "created", len(new))
            self.report.count("attachments", "updated", len(changed))
            self.report.count("attachments", "unchanged", len(batch) - len(new) - len(changed))


def _valid_email(address):
    if not address or len(address) > 254:
        return False
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def _valid_ip(address):
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return False
    return True


def _slug_allowed(slug):
    try:
        validate_slug_not_reserved(slug)
    except ValidationError:
        return False
    return True
