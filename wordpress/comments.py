"""WordPress comments, handed to the comments app's import (comments.importing) as plain data:
this side reads and checks what the export says; placing and writing them is the owner's."""

from django.conf import settings
from django.utils import timezone

from comments.importing import CommentImport, ImportedComment, Status, import_comments

from .content import comment_to_text, plain_text
from .values import integer, shorten, valid_email, valid_ip

STATUSES = {
    "1": Status.APPROVED,
    "approve": Status.APPROVED,
    "0": Status.PENDING,
    "hold": Status.PENDING,
    "spam": Status.SPAM,
    "trash": Status.REMOVED,
    "post-trashed": Status.REMOVED,
}


class Comments:
    def __init__(self, run):
        self.run = run
        self.report = run.report
        self.session = CommentImport()

    def import_for(self, article, comments, new_target=False):
        """The comments WordPress had on a post or page (the item's wp:comment fields);
        `new_target`: this import has just created it."""
        rows = []
        for data in comments:
            wp_id = integer(data.get("wp:comment_id"))
            kind = (data.get("wp:comment_type") or "").strip()
            if kind in {"pingback", "trackback"}:
                self.report.skip(
                    "comments", wp_id, "a pingback or trackback, not a reader's comment"
                )
            elif not wp_id:
                self.report.skip("comments", "(no id)", "no wp:comment_id")
            else:
                rows.append(self.row(article, wp_id, data))
        if not rows:
            return
        result = import_comments(article, rows, new_target=new_target, session=self.session)
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

    def finish(self):
        """Write the comments still waiting for their batch."""
        self.session.flush()

    def row(self, article, wp_id, data):
        status = STATUSES.get((data.get("wp:comment_approved") or "").strip().lower())
        name = plain_text(data.get("wp:comment_author", "")) or "Anonymous"
        if len(name) > 50:
            self.report.note("comments", f"{wp_id}: name shortened to 50 characters")
        email = (data.get("wp:comment_author_email") or "").strip()
        url = (data.get("wp:comment_author_url") or "").strip()
        ip = (data.get("wp:comment_author_IP") or "").strip()
        submitted = self.run.local_datetime(
            data.get("wp:comment_date"), data.get("wp:comment_date_gmt")
        )
        return ImportedComment(
            wp_id=wp_id,
            wp_parent_id=integer(data.get("wp:comment_parent")) or None,
            user_name=shorten(name, 50),
            user_email=email if valid_email(email) else "",
            user_url=url if url.startswith(("http://", "https://")) and len(url) <= 200 else "",
            user_id=self.run.authors.user_id(integer(data.get("wp:comment_user_id"))),
            text=comment_to_text(data.get("wp:comment_content", "")),
            # Pages have no publication time: the import's clock then.
            submit_date=submitted or getattr(article, "published_at", None) or timezone.now(),
            ip_address=ip if valid_ip(ip) else None,
            status=status or Status.PENDING,
        )
