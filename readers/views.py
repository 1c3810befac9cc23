"""A reader's own page: their comments, follow-ups, following the blog, their data, leaving.

Every page here is the signed-in reader's alone (`private, no-store`; the page cache never
keeps a signed-in request's page either). Every change is a POST with Django's CSRF token:
these pages are never shared, so they can carry one.
"""

import json
from functools import wraps

from allauth.account.views import RequestLoginCodeView
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles.models import Article
from comments import privacy as comments_privacy
from comments.readers import is_reader, verified_address
from privacy import export
from subscriptions import privacy as subscriptions_privacy
from subscriptions import services as subscriptions

from .accounts import delete_account
from .forms import NameForm
from .providers import form_origins


def sign_in(request, *args, **kwargs):
    """allauth's "email me a code" page, whose provider buttons may leave for the providers."""
    response = RequestLoginCodeView.as_view()(request, *args, **kwargs)
    origins = form_origins(request)
    if origins:
        response._csp_update = {"form-action": origins}
    return response


def reader_only(view):
    """Signed-in readers only: staff have the admin (and erase through it)."""

    @wraps(view)
    @never_cache
    @login_required(login_url="account_login")
    def wrapped(request, *args, **kwargs):
        if not is_reader(request.user):
            return redirect("admin:index")
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def own_comment(request, pk):
    address = verified_address(request.user)
    if not address:
        raise Http404("No comment of yours.")
    return get_object_or_404(comments_privacy.written_under(address), pk=pk)


@reader_only
def account(request):
    address = verified_address(request.user)
    comments = list(comments_privacy.written_under(address)) if address else []
    threads = {}
    for comment in comments:
        article = comment.content_object
        if isinstance(article, Article):
            entry = threads.setdefault(article.pk, {"article": article, "followup": False})
            entry["followup"] = entry["followup"] or comment.followup
    follower = subscriptions_privacy.follower_for(address) if address else None
    name_form = NameForm(initial={"name": request.user.get_full_name()})
    if request.method == "POST":
        name_form = NameForm(request.POST)
        if name_form.is_valid():
            request.user.first_name = name_form.cleaned_data["name"]
            request.user.last_name = ""
            request.user.save(update_fields=["first_name", "last_name"])
            return redirect("readers:account")
    return render(
        request,
        "readers/account.html",
        {
            "address": address,
            "comments": comments,
            "threads": list(threads.values()),
            "follower": follower,
            "following": bool(follower and follower.is_active),
            "name_form": name_form,
        },
    )


@require_POST
@reader_only
def delete_comment(request, pk):
    comments_privacy.erase([own_comment(request, pk)])
    return redirect("readers:account")


@require_POST
@reader_only
def followups(request, article_pk):
    address = verified_address(request.user)
    article = get_object_or_404(Article, pk=article_pk)
    if (
        not address
        or not comments_privacy.written_under(address).filter(object_pk=str(article.pk)).exists()
    ):
        raise Http404("You have not commented there.")
    comments_privacy.set_followups(article, address, request.POST.get("followup") == "on")
    return redirect("readers:account")


@require_POST
@reader_only
def follow_blog(request):
    address = verified_address(request.user)
    if not address:
        raise Http404("Sign in with a code first.")
    if request.POST.get("follow") == "on":
        subscriptions.follow_proved(address)
    else:
        follower = subscriptions_privacy.follower_for(address)
        if follower is not None:
            subscriptions.unsubscribe(follower)
    return redirect("readers:account")


@reader_only
def download(request):
    """ "Download my data": the same JSON the privacy app's mailed link gives, at once, since
    the reader proved the address by signing in; plus the account itself."""
    address = verified_address(request.user)
    data = export.data_for(address) if address else {"email": None}
    data["account"] = {
        "name": request.user.get_full_name(),
        "joined_at": request.user.date_joined.isoformat(),
        "last_sign_in_at": request.user.last_login.isoformat() if request.user.last_login else None,
        "signs_in_with": sorted(
            {"email code"} | {a.provider for a in request.user.socialaccount_set.all()}
        ),
        "generated_at": timezone.now().isoformat(),
    }
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@reader_only
def delete(request):
    if request.method != "POST":
        return render(request, "readers/delete.html")
    user = request.user
    logout(request)
    delete_account(user)
    response = render(request, "readers/deleted.html")
    return response
