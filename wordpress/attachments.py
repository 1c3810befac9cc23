"""WordPress attachments: a row each, so the old addresses of their pages (/?attachment_id=<id>,
<post address><slug>/) lead to the post or page they belonged to, or to the file."""

from .models import WordPressAttachment

BATCH = 500


class Attachments:
    def __init__(self, run):
        self.run = run
        self.report = run.report

    def import_all(self):
        """After the posts and pages: an attachment row points at the article or page."""
        posts, media = self.run.posts, self.run.media
        attachments = list(self.run.site.attachments.values())
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
                    "article_id": posts.articles.get(attachment.parent),
                    "page_id": posts.pages.get(attachment.parent),
                    "url": (media.image_url_if_copied(attachment.url) or attachment.url)[:500],
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
