from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from guard.decorators import Limit, Refusal, same_site_post
from guard.requests import client_ip

from . import services, tokens
from .forms import PreferencesForm, SubscribeForm
from .models import Follower


def subscribe_rate():
    return f"{settings.SUBSCRIPTIONS_RATE_LIMIT}/h"


def refuse_subscribe(request, refusal):
    if refusal.reason == Refusal.ORIGIN:
        return render(request, "subscriptions/forbidden.html", status=403)
    form = SubscribeForm(request.POST)
    return render(
        request, "subscriptions/subscribe.html", {"form": form, "limited": True}, status=429
    )


@same_site_post(limits=[Limit("subscribe", subscribe_rate, client_ip)], refused=refuse_subscribe)
@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.method != "POST":
        return render(request, "subscriptions/subscribe.html", {"form": SubscribeForm()})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "subscriptions/subscribe.html", {"form": form})
    data = form.cleaned_data
    services.subscribe(data["email"], data["category"], data["frequency"])
    return redirect("subscriptions:check_inbox")


def check_inbox(request):
    return render(
        request,
        "subscriptions/check_inbox.html",
        {"valid_days": settings.SUBSCRIPTIONS_CONFIRM_DAYS},
    )


def link_problem(request, problem, status):
    return render(request, "subscriptions/link_problem.html", {"problem": problem}, status=status)


# The token in the address is what authenticates these two pages' buttons: no session or CSRF
# cookie is needed, so they work in any browser or mail app a link is opened in.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        follower_id = tokens.follower_id_from_confirm_token(token)
    except tokens.ExpiredLink:
        return link_problem(request, "expired", status=410)
    except tokens.InvalidLink:
        return link_problem(request, "invalid", status=404)
    follower = Follower.objects.filter(pk=follower_id).first()
    if follower is None or follower.status in (
        Follower.Status.UNSUBSCRIBED,
        Follower.Status.BOUNCED,
    ):
        return link_problem(request, "stale", status=410)
    if request.method == "POST":
        follower = services.confirm(follower)
    if follower.status == Follower.Status.ACTIVE:
        return render(request, "subscriptions/confirmed.html")
    return render(request, "subscriptions/confirm.html")


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows the buttons; any POST unsubscribes, including RFC 8058's one-click POST."""
    try:
        follower_id = tokens.follower_id_from_unsubscribe_token(token)
    except tokens.InvalidLink:
        return link_problem(request, "invalid", status=404)
    follower = Follower.objects.filter(pk=follower_id).first()
    if follower is None:
        # Erased already: there is nothing left to mail, and nothing to show.
        return render(request, "subscriptions/erased.html")
    if request.method == "POST":
        if request.POST.get("action") == "erase":
            services.erase(follower)
            return render(request, "subscriptions/erased.html")
        follower = services.unsubscribe(follower)
    return render(
        request,
        "subscriptions/unsubscribe.html",
        {"done": follower.status in (Follower.Status.UNSUBSCRIBED, Follower.Status.BOUNCED)},
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    """What a follower receives, reached from any of our mails without signing in.

    The signed link is the key (no session, no CSRF cookie, as for unsubscribing); the page
    never shows the address, so a forwarded mail reveals nobody's.
    """
    try:
        follower = tokens.follower_from_manage_token(token, Follower.objects.all())
    except tokens.InvalidLink:
        return link_problem(request, "invalid", status=404)
    if follower is None:
        return render(request, "subscriptions/erased.html")
    context = {"unsubscribe_url": unsubscribe_path(follower)}
    if follower.status in (Follower.Status.UNSUBSCRIBED, Follower.Status.BOUNCED):
        return render(request, "subscriptions/manage.html", {**context, "stopped": True})
    form = PreferencesForm.for_follower(
        follower, request.POST if request.method == "POST" else None
    )
    saved = False
    if form.is_bound and form.is_valid():
        services.set_preferences(
            follower, form.cleaned_data["category"], form.cleaned_data["frequency"]
        )
        saved = True
        form = PreferencesForm.for_follower(follower)
    return render(request, "subscriptions/manage.html", {**context, "form": form, "saved": saved})


def unsubscribe_path(follower):
    return reverse("subscriptions:unsubscribe", args=[tokens.unsubscribe_token(follower)])
