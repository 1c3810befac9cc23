"""WordPress categories (with their parents) and tags: the same slugs here."""

from django.utils.text import slugify

from articles.models import Category, Tag, default_category_id

from .content import plain_text
from .values import first_meta, free_slug, integer, shorten, slug_allowed, wordpress_slug


class Terms:
    def __init__(self, run):
        self.run = run
        self.report = run.report
        self.categories = {}  # nicename -> Category
        self.tags = {}  # slug -> Tag

    def import_all(self):
        site = self.run.site
        for nicename, data in site.categories.items():
            self.categories[nicename] = self.term(
                Category,
                "categories",
                integer(data.get("wp:term_id")) or None,
                nicename,
                plain_text(data.get("wp:cat_name") or nicename),
                description=plain_text(data.get("wp:category_description", "")),
            )
        for nicename, data in site.categories.items():
            category = self.categories[nicename]
            parent = self.categories.get((data.get("wp:category_parent") or "").strip())
            parent_id = parent.pk if parent is not None and parent != category else None
            if category.parent_id != parent_id:
                category.parent_id = parent_id
                category.save(update_fields=["parent"])
        for slug, data in site.tags.items():
            self.tags[slug] = self.term(
                Tag,
                "tags",
                integer(data.get("wp:term_id")) or None,
                slug,
                plain_text(data.get("wp:tag_name") or slug),
            )

    def term(self, model, kind, wp_id, nicename, name, **extra):
        name = shorten(name or nicename, 100)
        slug, old = wordpress_slug(nicename, name, f"{kind[:-1]}-{wp_id}", 100)
        if model is Category and not slug_allowed(slug):
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
                slug = free_slug(model, slug, 100)
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

    def categories_for(self, item):
        """(the post's primary category here, all its categories, the primary included).

        WordPress files a post under several categories and names no primary one (unless an
        SEO plugin did: Yoast's `_yoast_wpseo_primary_category`); the first that is not
        "Uncategorized" is the breadcrumb's here.
        """
        categories = []
        for domain, nicename, name in item["terms"]:
            if domain != "category":
                continue
            nicename = nicename.strip() or slugify(name, allow_unicode=True)
            if nicename not in self.categories:
                self.categories[nicename] = self.term(
                    Category, "categories", None, nicename, plain_text(name)
                )
            if self.categories[nicename] not in categories:
                categories.append(self.categories[nicename])
        if not categories:
            default = Category.objects.get(pk=default_category_id())
            return default, [default]
        named = [c for c in categories if c.slug != "uncategorized"] or categories
        chosen = integer(first_meta(item["meta"], "_yoast_wpseo_primary_category"))
        primary = next((c for c in categories if chosen and c.wp_id == chosen), named[0])
        return primary, categories

    def tags_for(self, item):
        tags = []
        for domain, nicename, name in item["terms"]:
            if domain != "post_tag":
                continue
            nicename = nicename.strip() or slugify(name, allow_unicode=True)
            if nicename not in self.tags:
                self.tags[nicename] = self.term(Tag, "tags", None, nicename, plain_text(name))
            tags.append(self.tags[nicename])
        return tags
