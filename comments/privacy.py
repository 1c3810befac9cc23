"""What the comments app holds about one person, and how long it keeps what was never confirmed.

The `privacy` app asks these for "download my data" and its periodic purge; nothing else here
changes for it.
"""

from django.db import transaction

from .models import Comment, Like, refresh_thread_visibility


def known_addresses():
    """Every address that comments name (a download link carries only a hash of one)."""
    return Comment.objects.exclude(user_email="").values_list("user_email", flat=True).distinct()


def data_for(address):
    """The comments written under `address` and the likes of the accounts with it, as JSON-ready
    dicts: what they wrote, where, when, and what the site did with it."""
    comments = (
        Comment.objects.filter(user_email__iexact=address)
        .prefetch_related("content_object")
        .order_by("submit_date", "pk")
    )
    likes = Like.objects.filter(user__email__iexact=address).select_related("article")
    return {
        "comments": [
            {
                "article": getattr(c.content_object, "title", None),
                "article_url": _url(c.content_object),
                "name": c.user_name,
                "email": c.user_email,
                "website": c.user_url,
                "text": c.comment,
                "posted_at": c.submit_date.isoformat(),
                "status": c.get_status_display(),
                "follow_up_mail": c.followup,
                "ip_address_hash": c.ip_hash,
            }
            for c in comments
        ],
        "likes": [
            {
                "article": like.article.title,
                "article_url": _url(like.article),
                "liked_at": like.created_at.isoformat(),
            }
            for like in likes.order_by("created_at", "pk")
        ],
    }


def _url(article):
    if article is None or not getattr(article, "is_public", False):
        return None
    return article.get_absolute_url()


def purge_unconfirmed(before):
    """Delete comments whose writer never confirmed the address, posted before `before`: they
    may name a third party's address and hold health details, and nobody will ever see them."""
    deleted, by_model = Comment.objects.filter(
        status=Comment.Status.UNCONFIRMED, submit_date__lt=before
    ).delete()
    return by_model.get(Comment._meta.label, 0)


def written_under(address):
    """The comments written with `address` (as a guest or signed in), newest first, whatever
    their state: the writer's own list on their account page."""
    return (
        Comment.objects.filter(user_email__iexact=address.strip())
        .exclude(status=Comment.Status.REMOVED)
        .prefetch_related("content_object")
        .order_by("-submit_date", "-pk")
    )


def erase(comments):
    """Anonymise and remove these comments: they leave the pages and feeds, while replies by
    others stay in place (shown only where their thread still is). Returns how many."""
    count = 0
    with transaction.atomic():
        comments = list(comments)
        for comment in comments:
            comment.user_name = "(erased)"
            comment.user_email = ""
            comment.user_url = ""
            comment.ip_address = None
            comment.ip_hash = ""
            comment.comment = "This comment was erased at its writer's request."
            comment.followup = False
            comment.status = Comment.Status.REMOVED
            comment.save()
            count += 1
        for thread_id in {c.thread_id for c in comments}:
            refresh_thread_visibility(thread_id)
    return count


def erase_address(address):
    """Staff erasure of everything written with an address, and a reader's "delete my
    account"."""
    return erase(Comment.objects.filter(user_email__iexact=address.strip()))


def set_followups(article, address, wanted):
    """Follow-up mail for one article's comments, for everyone writing with `address`: the mute
    link in a follow-up mail, and a reader's account page (which can resume it too)."""
    return (
        Comment.objects.for_target(article)
        .filter(user_email__iexact=address.strip())
        .update(followup=wanted)
    )
