import time

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.crypto import get_random_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_comments import get_form
from django_comments.views.comments import post_comment
from django_comments_xtd.views import reply as xtd_reply

from articles.models import Article
from guard.decorators import Limit, Refusal, same_site_post
from guard.requests import client_ip

from . import health, policy, privacy, readers, tokens
from .models import (
    COMMENT_TARGETS,
    Comment,
    Like,
    email_digest,
    find_target,
    ip_digest,
    target_key,
)
from .render import time_html as render_time
from .staff import staff_name

CONFIRMED_COOKIE = "bs_confirmed"
CONFIRMED_SALT = "comments.confirmed-addresses"
READER_COOKIE = "bs_reader"
READER_SALT = "comments.reader"
DONE_SALT = "comments.posted"
YEAR = 365 * 24 * 3600


def refuse(request, status, title, message):
    return render(
        request, "comments/refused.html", {"title": title, "message": message}, status=status
    )


def confirmed_digests(request):
    """Addresses this browser has confirmed, as keyed hashes, from a signed cookie."""
    value = request.get_signed_cookie(
        CONFIRMED_COOKIE, default="", salt=CONFIRMED_SALT, max_age=YEAR
    )
    return set(filter(None, value.split(":")))


def comment_rate():
    return f"{settings.COMMENTS_RATE_LIMIT}/{settings.COMMENTS_RATE_WINDOW}s"


def posted_address(request):
    return request.POST.get("email", "").strip().lower()


def refuse_comment(request, refusal):
    if refusal.reason == Refusal.ORIGIN:
        return refuse(
            request, 403, "Comment not sent", "Comments can only be posted from this site's pages."
        )
    response = refuse(
        request,
        429,
        "Slow down, please",
        f"You have sent more than {refusal.count} comments in a minute. Wait a minute and try "
        "again.",
    )
    response["Retry-After"] = str(refusal.window)
    return response


@same_site_post(
    limits=[
        Limit("comment-ip", comment_rate, client_ip),
        Limit("comment-email", comment_rate, posted_address),
    ],
    refused=refuse_comment,
)
@require_POST
def post(request):
    """Checks that xtd's post view lacks, then xtd's view itself (which our receiver completes)."""
    if request.POST.get("content_type") not in COMMENT_TARGETS:
        return refuse(request, 400, "Comment not sent", "Comments are for articles and pages only.")
    if request.POST.get("honeypot"):
        return refuse(request, 400, "Comment not sent", "This comment looked automated.")
    try:
        age = time.time() - int(request.POST.get("timestamp", "0"))
    except ValueError:
        age = 0
    if age < settings.COMMENTS_MIN_SECONDS:
        return refuse(
            request,
            400,
            "Comment not sent",
            "That was quicker than anyone can write: wait a few seconds and send it again.",
        )
    if request.user.is_authenticated and request.user.is_staff:
        # Staff see no name field; django_comments would sign with the login name.
        request.POST = request.POST.copy()
        request.POST["name"] = staff_name(request.user)[:50]
    elif readers.is_reader(request.user):
        # A reader signs with their account's name (or, the first time, the one they type,
        # which the account keeps) and the address they proved, whatever else the form holds.
        request.POST = request.POST.copy()
        name = readers.reader_name(request.user) or request.POST.get("name", "").strip()[:50]
        if not name:
            # django_comments would sign with the login name instead.
            return refuse(
                request, 400, "Comment not sent", "Write the name to show with your comment."
            )
        request.POST["name"] = name
        request.POST["email"] = readers.verified_address(request.user)
        if name and not readers.reader_name(request.user):
            request.user.first_name = name[:150]
            request.user.save(update_fields=["first_name"])
    if not request.POST.get("health_ok"):
        findings = health_findings(request)
        if findings and (page := health_check_page(request, findings)):
            return page
    request.confirmed_digests = confirmed_digests(request)
    with transaction.atomic():
        return post_comment(request)


def is_staff(request):
    return request.user.is_authenticated and request.user.is_staff


def health_findings(request):
    """The guard's findings on the comment being posted or checked (comments/health.py)."""
    text = request.POST.get("comment", "")
    if len(text) > settings.COMMENTS_MAX_CHARS:
        return []  # refused as too long anyway; nothing to scan
    replying_to = ""
    if is_staff(request):
        try:
            parent = int(request.POST.get("reply_to") or 0)
        except ValueError:
            parent = 0
        if parent:
            visible = Comment.objects.visible().filter(pk=parent)
            replying_to = visible.values_list("comment", flat=True).first() or ""
    return health.scan(text, staff=is_staff(request), replying_to=replying_to)


def health_check_page(request, findings):
    """Without JavaScript, the guard's confirmation step: the form again, with the text kept,
    what was found, and "Post anyway". None when the form has other errors, which xtd's view
    shows first (the guard asks again on the next try)."""
    article = find_target(request.POST.get("content_type"), request.POST.get("object_pk"))
    if article is None:
        return None
    data = request.POST.copy()
    if request.user.is_authenticated:  # as django_comments' post_comment fills them in
        data.setdefault("email", request.user.email)
    form = get_form()(article, data=data)
    if form.security_errors() or form.errors:
        return None
    response = render(
        request, "comments/check.html", {"form": form, "findings": findings, "article": article}
    )
    response["Cache-Control"] = "private, no-store"  # the writer's own text
    return response


def comment_check_rate():
    return f"{settings.COMMENTS_CHECK_RATE_LIMIT}/m"


@same_site_post(
    limits=[Limit("comment-check-ip", comment_check_rate, client_ip)], refused=refuse_comment
)
@require_POST
def check(request):
    """comments.js asks here before posting: the same findings as the confirmation step, and
    the warning to show (the same template), as JSON."""
    findings = health_findings(request)
    html = render_to_string(
        "comments/_health_warning.html", {"findings": findings, "inline": True}, request
    )
    return JsonResponse(
        {"findings": [f.as_json() for f in findings], "html": html if findings else ""}
    )


def reply(request, cid):
    """xtd's reply page, for visible comments on open articles only (it would show any)."""
    comment = get_object_or_404(Comment.objects.visible(), pk=cid)
    article = comment.content_object
    if not (article and article.is_public and policy.comments_open(article)):
        raise Http404("Replies are closed.")
    if comment.depth >= settings.COMMENTS_MAX_DEPTH:
        return refuse(
            request,
            403,
            "No deeper replies",
            f"Replies nest only {settings.COMMENTS_MAX_DEPTH} levels deep; reply to an earlier "
            "comment in this conversation instead.",
        )
    return xtd_reply(request, cid)


def on_comment_posted(sender, comment, request, **kwargs):
    """Save the comment xtd's view built; replaces xtd's receiver (pickled links, no expiry)."""
    # django-contrib-comments fills in REMOTE_ADDR: only its keyed hash is kept (below).
    skip = {"content_object", "xtd_comment", "is_public", "is_removed", "ip_address"}
    data = {k: v for k, v in comment.items() if k not in skip}
    saved = Comment(**data, status=Comment.Status.UNCONFIRMED, is_public=False)
    saved.ip_hash = ip_digest(client_ip(request))
    saved.save()
    digests = getattr(request, "confirmed_digests", set())
    proved = bool(saved.user_email) and saved.user_email.strip().lower() == (
        readers.verified_address(request.user)
    )
    policy.accept_new_comment(saved, proved or email_digest(saved.user_email) in digests)
    # xtd's view redirects to ?c=<pk>: make it a signed reference that only this poster holds.
    comment.xtd_comment = type("Ref", (), {"pk": signing.dumps(saved.pk, salt=DONE_SALT)})


def posted(request):
    """Where a poster lands: their comment, or what it is waiting for."""
    try:
        pk = signing.loads(request.GET.get("c", ""), salt=DONE_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        raise Http404("Unknown comment.") from None
    comment = get_object_or_404(Comment, pk=pk)
    if comment.is_public:
        return HttpResponseRedirect(comment_url(comment))
    response = render(request, "comments/posted.html", posted_context(comment))
    response["Cache-Control"] = "private, no-store"
    return response


def posted_context(comment):
    """The page a writer sees while their comment waits, with what comments.js keeps in this
    browser to show the comment in place (to this writer only: the article page itself is
    everyone's, and cached)."""
    return {
        "comment": comment,
        "article": comment.content_object,
        "held": {
            "id": comment.pk,
            "article": target_key(comment.content_object),
            "parent": 0 if comment.parent_id == comment.pk else comment.parent_id,
            "level": comment.level,
            "name": comment.user_name,
            "html": comment.text_html,
            "time": render_time(comment.submit_date),
            "status": comment.status,
        },
    }


def comment_url(comment):
    return comment.content_object.get_absolute_url() + f"#{comment.anchor}"


def confirm(request, token):
    comment = tokens.find_by_confirm_token(token)
    if comment is None:
        return render(request, "comments/confirm_invalid.html", status=404)
    if request.method != "POST":
        # A GET never acts: mail scanners open links too.
        return render(request, "comments/confirm.html", {"comment": comment})
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.status != Comment.Status.UNCONFIRMED:
            return render(request, "comments/confirm_invalid.html", status=404)
        policy.address_confirmed(comment)
    if comment.is_public:
        response = HttpResponseRedirect(comment_url(comment))
    else:
        response = render(request, "comments/posted.html", posted_context(comment))
    digests = confirmed_digests(request) | {email_digest(comment.user_email)}
    response.set_signed_cookie(
        CONFIRMED_COOKIE,
        ":".join(sorted(digests)[-20:]),
        salt=CONFIRMED_SALT,
        max_age=YEAR,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt
def mute(request, token):
    """Stop follow-up mail for one article's (or page's) comments. The token is the authority
    (RFC 8058)."""
    comment = tokens.comment_for_mute_token(token)
    if comment is None:
        raise Http404("Unknown link.")
    article = comment.content_object
    if request.method != "POST":
        return render(request, "comments/mute.html", {"article": article})
    privacy.set_followups(article, comment.user_email, False)
    return render(request, "comments/mute.html", {"article": article, "muted": True})


def article_for(year, month, day, slug):
    return get_object_or_404(Article.objects.published().at_permalink(year, month, day, slug))


def like_rate():
    return f"{settings.LIKES_RATE_LIMIT}/h"


def refuse_like(request, refusal):
    if refusal.reason == Refusal.ORIGIN:
        return refuse(request, 403, "Not counted", "Likes can only be sent from this site's pages.")
    message = (
        f"More than {refusal.count} likes an hour came from your network, so this one was not "
        "counted. Try again later."
    )
    if "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"error": message}, status=429)
    else:
        response = refuse(request, 429, "Not counted", message)
    response["Retry-After"] = str(refusal.window)
    return response


@same_site_post(limits=[Limit("like-ip", like_rate, client_ip)], refused=refuse_like)
@require_POST
def like(request, year, month, day, slug, undo=False):
    article = article_for(year, month, day, slug)
    reader = request.get_signed_cookie(READER_COOKIE, default="", salt=READER_SALT, max_age=YEAR)
    new_reader = not reader and not request.user.is_authenticated
    if new_reader:
        reader = get_random_string(32)
    who = {"user": request.user} if request.user.is_authenticated else {"reader": reader}
    if undo:
        Like.objects.filter(article=article, **who).delete()
    else:
        try:
            with transaction.atomic():
                Like.objects.get_or_create(article=article, **who)
        except IntegrityError:
            pass  # the same reader's concurrent like won: nothing changes
    count = Like.objects.filter(article=article).aggregate(n=Count("pk"))["n"]
    if "application/json" in request.headers.get("Accept", ""):
        # `at`: the server's clock, which comments.js compares with the page's own count time.
        response = JsonResponse({"likes": count, "liked": not undo, "at": round(time.time(), 3)})
    else:
        response = redirect(article.get_absolute_url() + "#likes")
    if new_reader:
        response.set_signed_cookie(
            READER_COOKIE, reader, salt=READER_SALT, max_age=YEAR, httponly=True,
            samesite="Lax", secure=request.is_secure(),
        )  # fmt: skip
    return response
