"""The comment tree as HTML, built in one pass in Python.

A post can carry hundreds of comments; rendering each through the template engine (an include,
a dozen variable lookups and a date filter per comment) cost most of the page's time. The markup
here is the same the template would produce; every value from a reader is escaped, and the
comment text itself was rendered and sanitised once, when it was saved.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Comment


def visible_comments(target):
    """All visible comments of an article or page, in thread order, in one query."""
    return list(
        Comment.objects.for_target(target)
        .visible()
        .select_related("user")
        .only(
            "pk", "user_name", "user_url", "submit_date", "text_html", "level", "thread_id",
            "order", "user__is_staff",
        )
        .order_by("thread_id", "order")
    )  # fmt: skip


def badge(comment, author_user_id):
    """(label, css class) of the badge beside a commenter's name, or None."""
    if not comment.user_id:
        return None
    if comment.user_id == author_user_id:
        return "Author", "badge-author"
    return ("Practice team", "badge-team") if comment.user.is_staff else None


def time_html(moment):
    """A comment's time in the site's zone (TIME_ZONE): short in the text, in full on hover."""
    when = timezone.localtime(moment)
    full = f"{when:%A} {when.day} {when:%B %Y} at {when:%H:%M} ({when.tzname()})"
    return (
        f'<time datetime="{when.isoformat()}" title="{escape(full)}">'
        f"{when.day} {when:%B %Y} at {when:%H:%M}</time>"
    )


def render_tree(comments, author_user_id, replies_open, max_level):
    """The <ol> of comments, nested by level, without recursion."""
    if not comments:
        return mark_safe("")
    reply_base = reverse("comments-xtd-reply", args=[0])[: -len("0/")]
    out = ['<ol class="comment-list">']
    append = out.append
    for index, comment in enumerate(comments):
        level = comment.level
        following = comments[index + 1].level if index + 1 < len(comments) else 0
        name = escape(comment.user_name)
        anchor = f"c{comment.pk}"
        author = (
            f'<a href="{escape(comment.user_url)}" rel="nofollow ugc noopener">{name}</a>'
            if comment.user_url
            else name
        )
        label = badge(comment, author_user_id)
        append(
            f'<li class="comment depth-{level + 1}" id="{anchor}">'
            f'<article class="comment-body"><header class="comment-meta">'
            f'<span class="avatar avatar-{comment.avatar_colour}" aria-hidden="true">'
            f"{escape(comment.initials)}</span>"
            f'<span class="comment-author">{author}</span>'
            + (f'<span class="badge {label[1]}">{label[0]}</span>' if label else "")
            + f'<a class="comment-date" href="#{anchor}">{time_html(comment.submit_date)}</a>'
            "</header>"
            f'<div class="comment-text">{comment.text_html}</div>'
        )
        if replies_open and level < max_level:
            append(
                f'<p class="comment-reply"><a class="comment-reply-link" '
                f'href="{reply_base}{comment.pk}/" data-reply-to="{comment.pk}" '
                f'data-reply-name="{name}">Reply<span class="visually-hidden"> to {name}'
                "</span></a></p>"
            )
        append("</article>")
        if following > level:
            append('<ol class="children">')
        else:
            append("</li>" + "</ol></li>" * (level - following))
    append("</ol>")
    return mark_safe("".join(out))
