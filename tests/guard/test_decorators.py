from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.views.decorators.http import require_POST

from guard.decorators import Limit, Refusal, parse_rate, same_site_post
from guard.models import RateLimitCounter
from guard.requests import client_ip, hit

pytestmark = pytest.mark.django_db
SAME_SITE = {"HTTP_ORIGIN": "http://testserver"}


def test_rates_read_as_a_count_per_window():
    assert parse_rate("5/m") == (5, 60)
    assert parse_rate("10/h") == (10, 3600)
    assert parse_rate("3/30s") == (3, 30)
    assert parse_rate(" 2 / 1d ") == (2, 86400)
    for bad in ("5", "five/m", "5/w", "5/m/h", ""):
        with pytest.raises(ValueError, match="Not a rate"):
            parse_rate(bad)


def refusals_view(**guard):
    """A view behind the guard that says why it refused, or "done"."""
    seen = []

    def refused(request, refusal):
        seen.append(refusal)
        return HttpResponse(refusal.reason, status=403 if refusal.reason == "origin" else 429)

    @same_site_post(refused=refused, **guard)
    @require_POST
    def view(request):
        return HttpResponse("done")

    return view, seen


def test_only_posts_from_this_site_reach_the_view():
    view, seen = refusals_view()
    factory = RequestFactory()
    assert view(factory.post("/", **SAME_SITE)).content == b"done"
    response = view(factory.post("/", HTTP_ORIGIN="https://evil.example"))
    assert (response.status_code, response.content) == (403, b"origin")
    assert view(factory.post("/")).status_code == 403  # neither Origin nor Referer
    assert [r.reason for r in seen] == [Refusal.ORIGIN, Refusal.ORIGIN]
    # Other methods are the view's business (here: 405), not the guard's.
    assert view(factory.get("/")).status_code == 405


def test_the_guard_stands_in_for_the_csrf_token():
    view, _ = refusals_view()
    assert view.csrf_exempt is True
    request = RequestFactory().post("/", **SAME_SITE)
    view(request)
    # Views called from ours (django-comments-xtd's post view is csrf_protect-ed) skip the check.
    assert request.csrf_processing_done is True


@pytest.mark.usefixtures("steady_rate_window")
def test_each_limit_counts_its_own_key_and_the_first_exceeded_refuses(settings):
    settings.TEST_RATE = "1/m"
    view, seen = refusals_view(
        limits=[
            Limit("test-ip", "2/m", client_ip),
            Limit("test-name", lambda: settings.TEST_RATE, lambda r: r.POST.get("name", "")),
        ]
    )
    factory = RequestFactory()

    def post(ip, name=""):
        request = factory.post("/", {"name": name}, REMOTE_ADDR=ip, **SAME_SITE)
        return view(request).status_code

    assert post("10.0.0.1", "ann") == 200
    assert post("10.0.0.2", "ann") == 429  # one a minute per name, whatever the IP
    assert post("10.0.0.2") == 200  # no name: that limit does not count it
    assert post("10.0.0.2", "bob") == 429  # two a minute per IP
    assert [(r.limit.scope, r.count, r.window) for r in seen] == [
        ("test-name", 1, 60),
        ("test-ip", 2, 60),
    ]
    # Refused by the IP limit first, so "bob" was not counted: his one post is still there.
    assert post("10.0.0.3", "bob") == 200
    # A rate from settings is read on each request.
    settings.TEST_RATE = "3/m"
    assert post("10.0.0.4", "ann") == 200


def test_expired_counters_are_pruned_when_a_new_window_begins(time_machine):
    time_machine.move_to("2026-03-02 09:00:01+00:00", tick=False)
    hit("test", "203.0.113.5", 5, 60)
    hit("test", "203.0.113.6", 5, 3600)
    assert RateLimitCounter.objects.count() == 2

    time_machine.shift(timedelta(minutes=2))
    hit("test", "203.0.113.6", 5, 3600)  # the same window: no new row, nothing pruned
    assert RateLimitCounter.objects.count() == 2
    hit("test", "203.0.113.7", 5, 60)  # a new row: the minute-long window that ended goes
    assert sorted(RateLimitCounter.objects.values_list("count", flat=True)) == [1, 2]
