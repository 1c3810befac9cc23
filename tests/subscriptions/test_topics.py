"""Following by topic and by weekly digest: the choices on the follow form and on the signed
"manage what you receive" page, who is mailed about an article, and what a digest lists."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from subscriptions import delivery, digests, tasks
from subscriptions.importer import import_followers
from subscriptions.models import Delivery, Digest, Follower
from subscriptions.tokens import manage_token
from tests.factories import CategoryFactory
from tests.pages import attrs, nowhere, one, select, text
from tests.smtp import body_html, body_text
from tests.subscriptions.conftest import publish
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
MANAGE_LINK = re.compile(r"http://127\.0\.0\.1:8000(/subscribe/manage/[^/\s]+/)")
EACH, WEEKLY = Follower.Frequency.EACH, Follower.Frequency.WEEKLY


@pytest.fixture
def topics():
    return {slug: CategoryFactory(name=slug.title(), slug=slug) for slug in ["back", "neck", "hip"]}


def follower(email, topics=(), frequency=EACH, **kwargs):
    made = FollowerFactory(email=email, frequency=frequency, all_topics=not topics, **kwargs)
    made.topics.set(topics)
    return made


def manage_path(message):
    match = MANAGE_LINK.search(body_text(message))
    assert match, body_text(message)
    return match.group(1)


# ---- Choosing ---------------------------------------------------------------------------


def test_the_follow_form_offers_topics_and_how_often_and_keeps_the_choice(client, topics):
    form = one(client.get("/subscribe/"), "main form.follow-form")
    assert [legend.get_text(strip=True) for legend in select(form, "legend")] == [
        "Topics",
        "How often",
    ]
    assert attrs(form, "input[name=category]", "value") == ["back", "hip", "neck"]
    assert attrs(form, "input[name=frequency]", "value") == ["each", "weekly"]

    data = {"email": "reader@example.com", "category": ["neck", "hip"], "frequency": "weekly"}
    assert client.post("/subscribe/", data, HTTP_ORIGIN=ORIGIN).status_code == 302
    made = Follower.objects.get()
    assert (made.status, made.frequency, made.all_topics) == ("pending", WEEKLY, False)
    assert set(made.topics.values_list("slug", flat=True)) == {"neck", "hip"}


def test_the_sidebar_form_follows_everything_each_article_and_odd_choices_are_refused(
    client, topics
):
    client.post("/subscribe/", {"email": "side@example.com"}, HTTP_ORIGIN=ORIGIN)
    made = Follower.objects.get()
    assert (made.frequency, made.all_topics, made.topics.count()) == (EACH, True, 0)

    response = client.post(
        "/subscribe/",
        {"email": "odd@example.com", "category": ["no-such"], "frequency": "hourly"},
        HTTP_ORIGIN=ORIGIN,
    )
    assert response.status_code == 200
    assert "Choose topics from the list." in text(response, "main")
    assert "Choose how often from the list." in text(response, "main")
    assert not Follower.objects.filter(email="odd@example.com").exists()


def test_typing_a_followers_address_on_the_form_never_changes_what_they_receive(client, topics):
    known = follower("known@example.com", [topics["back"]])
    data = {"email": "known@example.com", "category": ["hip"], "frequency": "weekly"}
    client.post("/subscribe/", data, HTTP_ORIGIN=ORIGIN)
    known.refresh_from_db()
    assert known.frequency == EACH
    assert list(known.topics.values_list("slug", flat=True)) == ["back"]


def test_imported_followers_keep_everything(tmp_path, topics):
    export = tmp_path / "subscribers.csv"
    export.write_text("email,date_subscribed\nold.reader@example.org,2021-03-04\n")
    import_followers(export)
    imported = Follower.objects.get(email="old.reader@example.org")
    assert (imported.all_topics, imported.frequency) == (True, EACH)
    assert list(delivery.audience(publish(category=topics["hip"]).pk)) == [imported]


# ---- Who is mailed about an article -----------------------------------------------------


def test_an_article_is_mailed_only_to_its_topics_followers_who_want_each_article(
    topics, smtp_server, committed
):
    follower("all@example.com")
    follower("back@example.com", [topics["back"]])
    follower("neck-hip@example.com", [topics["neck"], topics["hip"]])
    follower("weekly@example.com", frequency=WEEKLY)
    with committed():
        publish(title="Lifting without strain", category=topics["back"])
    with committed():
        publish(title="A stiff neck at the desk", category=topics["neck"])

    assert smtp_server.wait_for(4)
    received = {
        address: sorted(m["Subject"] for m in smtp_server.to(address))
        for address in smtp_server.count_to()
    }
    assert received == {
        "all@example.com": ["A stiff neck at the desk", "Lifting without strain"],
        "back@example.com": ["Lifting without strain"],
        "neck-hip@example.com": ["A stiff neck at the desk"],
    }


def test_an_article_filed_under_several_topics_reaches_each_topics_followers_once(
    topics, smtp_server, committed
):
    follower("hip@example.com", [topics["hip"]])
    follower("back-hip@example.com", [topics["back"], topics["hip"]])
    follower("neck@example.com", [topics["neck"]])
    with committed():
        article = publish(title="Hips and backs", category=topics["back"])
        article.categories.add(topics["hip"])  # filed under a second category too

    assert smtp_server.wait_for(2)
    assert Delivery.objects.filter(article=article).count() == 2
    assert sorted(smtp_server.count_to().items()) == [
        ("back-hip@example.com", 1),
        ("hip@example.com", 1),
    ]


def test_a_digest_lists_an_article_of_two_chosen_topics_once(topics, week, smtp_server, committed):
    week["back"].categories.add(topics["hip"])
    follower("weekly-hip@example.com", [topics["hip"]], frequency=WEEKLY)
    follower("weekly-back-hip@example.com", [topics["back"], topics["hip"]], frequency=WEEKLY)
    with committed():
        tasks.recover()

    [hip] = smtp_server.to("weekly-hip@example.com")
    assert hip["Subject"] == "This week on The Back Story: Lifting"
    [both] = smtp_server.to("weekly-back-hip@example.com")
    assert [h.get_text(strip=True) for h in select(body_html(both), "h2")] == ["Lifting"]


def test_every_mail_links_to_the_followers_own_choices_beside_unsubscribe(
    client, topics, smtp_server, committed
):
    reader = follower("reader@example.com", [topics["back"]])
    with committed():
        publish(title="Lifting without strain", category=topics["back"])
    [message] = smtp_server.to("reader@example.com")
    path = manage_path(message)
    assert "reader" not in path and "example.com" not in path
    assert f"http://127.0.0.1:8000{path}" in attrs(body_html(message), "a", "href")
    assert "Manage what you receive" in text(body_html(message))
    assert "on the topics you chose" in body_text(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert client.get(path).status_code == 200
    assert path == f"/subscribe/manage/{manage_token(reader)}/"


# ---- The manage page --------------------------------------------------------------------


def test_the_manage_page_shows_the_choices_saves_changes_and_never_shows_the_address(
    client, topics
):
    reader = follower("private.person@example.com", [topics["back"]])
    path = f"/subscribe/manage/{manage_token(reader)}/"
    page = client.get(path)
    assert "no-store" in page["Cache-Control"]
    assert nowhere(page, "private.person")
    assert attrs(page, "input[name=category][checked]", "value") == ["back"]
    assert attrs(page, "input[name=frequency][checked]", "value") == ["each"]

    saved = client.post(path, {"category": ["neck", "hip"], "frequency": "weekly"})
    assert "Your choices are saved" in text(saved, "[role=status]")
    assert attrs(saved, "input[name=category][checked]", "value") == ["hip", "neck"]
    reader.refresh_from_db()
    assert (reader.frequency, reader.all_topics) == (WEEKLY, False)
    assert set(reader.topics.values_list("slug", flat=True)) == {"neck", "hip"}

    client.post(path, {"frequency": "each"})  # nothing ticked: every topic
    reader.refresh_from_db()
    assert (reader.frequency, reader.all_topics, reader.topics.count()) == (EACH, True, 0)
    assert nowhere(client.get(path), "private.person")


def test_a_forged_or_altered_manage_link_is_refused_and_changes_nothing(client, topics):
    reader = follower("reader@example.com", [topics["back"]])
    other = follower("other@example.com")
    token = manage_token(reader)
    payload, signature = token.rsplit(":", 1)
    forged = [
        "not-a-token",
        f"{payload}:{signature[:-2]}xx",
        # Another follower's id under this follower's signature.
        manage_token(other).rsplit(":", 1)[0] + ":" + signature,
    ]
    for bad in forged:
        response = client.post(f"/subscribe/manage/{bad}/", {"frequency": "weekly"})
        assert response.status_code == 404, bad
        assert "This link doesn’t work" in text(response, "h1")
    # Neither an unsubscribe nor a confirmation link opens the page: each has its own salt.
    from subscriptions.tokens import confirm_token, unsubscribe_token

    for other_kind in [unsubscribe_token(reader), confirm_token(reader)]:
        assert client.get(f"/subscribe/manage/{other_kind}/").status_code == 404
    assert set(Follower.objects.values_list("frequency", flat=True)) == {EACH}


def test_a_manage_link_for_an_address_since_erased_opens_nobodys_choices(client, topics):
    reader = follower("reader@example.com")
    token = manage_token(reader)
    pk = reader.pk
    reader.delete()
    # A database may give the id to someone else later: the link carries the address's tag.
    newcomer = FollowerFactory(pk=pk, email="newcomer@example.com")
    page = client.post(f"/subscribe/manage/{token}/", {"frequency": "weekly"})
    assert "data is deleted" in text(page, "h1")
    newcomer.refresh_from_db()
    assert newcomer.frequency == EACH


def test_an_unsubscribed_follower_is_offered_to_follow_again(client):
    gone = FollowerFactory(status=Follower.Status.UNSUBSCRIBED)
    page = client.get(f"/subscribe/manage/{manage_token(gone)}/")
    assert "no longer follow" in text(page, "main")
    assert not select(page, "input[name=frequency]")


# ---- The weekly digest ------------------------------------------------------------------


def due_a_minute_ago():
    """SUBSCRIPTIONS_DIGEST_WEEKDAY and _TIME for a digest due a minute ago."""
    then = timezone.localtime() - timedelta(minutes=1)
    return then.weekday(), then.strftime("%H:%M")


def at(local):
    return timezone.make_aware(local)


def test_the_digest_is_due_each_week_at_its_time_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Europe/London"
    settings.SUBSCRIPTIONS_DIGEST_WEEKDAY = 0  # Monday
    settings.SUBSCRIPTIONS_DIGEST_TIME = "08:00"
    # Monday 30 March 2026 07:59, the day after summer time began: last week's is the latest.
    with timezone.override("Europe/London"):
        starts, ends = digests.due_period(at(datetime(2026, 3, 30, 7, 59)))
        assert (ends, starts) == (at(datetime(2026, 3, 23, 8)), at(datetime(2026, 3, 16, 8)))
        starts, ends = digests.due_period(at(datetime(2026, 3, 30, 8, 0)))
        assert (ends, starts) == (at(datetime(2026, 3, 30, 8)), at(datetime(2026, 3, 23, 8)))
        # The clocks went forward: the week is an hour short.
        assert ends.astimezone(UTC) - starts.astimezone(UTC) == timedelta(days=7, hours=-1)


@pytest.fixture
def week(settings, topics):
    """A digest due a minute ago, three articles published in its week and one before it."""
    settings.SUBSCRIPTIONS_DIGEST_WEEKDAY, settings.SUBSCRIPTIONS_DIGEST_TIME = due_a_minute_ago()
    starts, ends = digests.due_period()
    before = {"published_at": starts - timedelta(hours=1)}
    publish(title="Old news on backs", category=topics["back"], **before)
    return {
        "back": publish(
            title="Lifting", category=topics["back"], published_at=ends - timedelta(days=3)
        ),
        "neck": publish(
            title="Desk necks", category=topics["neck"], published_at=ends - timedelta(days=2)
        ),
        "uncategorised": publish(title="Clinic hours", published_at=ends - timedelta(days=1)),
    }


def test_the_weekly_digest_lists_the_weeks_articles_in_each_followers_topics_once(
    topics, week, smtp_server, committed
):
    follower("weekly-all@example.com", frequency=WEEKLY)
    follower("weekly-neck@example.com", [topics["neck"]], frequency=WEEKLY)
    follower("weekly-hip@example.com", [topics["hip"]], frequency=WEEKLY)  # nothing this week
    follower("each@example.com")
    with committed():
        tasks.recover()  # the sweep: at each worker start and every few minutes
    with committed():
        tasks.recover()

    digest = Digest.objects.get()
    assert digest.recipients == 2
    assert sorted(smtp_server.count_to().items()) == [
        ("weekly-all@example.com", 1),
        ("weekly-neck@example.com", 1),
    ]
    [everything] = smtp_server.to("weekly-all@example.com")
    assert everything["Subject"] == "This week on The Back Story: 3 new articles"
    assert [h.get_text(strip=True) for h in select(body_html(everything), "h2")] == [
        "Lifting",
        "Desk necks",
        "Clinic hours",
    ]
    [neck] = smtp_server.to("weekly-neck@example.com")
    assert neck["Subject"] == "This week on The Back Story: Desk necks"
    assert "Lifting" not in body_text(neck) and "Old news" not in body_text(neck)
    assert manage_path(neck)
    assert neck["List-Unsubscribe"].strip().startswith("<http://127.0.0.1:8000/unsubscribe/")
    assert set(Delivery.objects.filter(digest=digest).values_list("status", flat=True)) == {
        Delivery.Status.SENT
    }


def test_a_digest_leaves_out_what_the_follower_was_mailed_on_its_own(
    topics, week, smtp_server, committed
):
    switched = follower("switched@example.com", frequency=WEEKLY)
    Delivery.objects.create(follower=switched, article=week["back"], status=Delivery.Status.SENT)
    with committed():
        tasks.recover()
    [digest] = smtp_server.to("switched@example.com")
    assert "Lifting" not in body_text(digest)
    assert "Desk necks" in body_text(digest)


def test_a_digest_no_worker_made_near_its_time_is_not_sent_days_later(settings, week):
    follower("weekly@example.com", frequency=WEEKLY)
    _, ends = digests.due_period()
    later = ends + timedelta(hours=settings.SUBSCRIPTIONS_DIGEST_LATE_HOURS, minutes=1)
    assert digests.make_due(later) is None
    assert not Digest.objects.exists()


def test_moving_the_digests_day_sends_no_second_digest_that_week_and_leaves_no_gap(settings):
    follower("weekly@example.com", frequency=WEEKLY)
    settings.SUBSCRIPTIONS_DIGEST_WEEKDAY, settings.SUBSCRIPTIONS_DIGEST_TIME = 0, "08:00"
    monday = at(datetime(2026, 11, 30, 8))
    first = digests.make_due(monday + timedelta(minutes=5))
    settings.SUBSCRIPTIONS_DIGEST_WEEKDAY = 2  # staff move it to Wednesday
    assert digests.make_due(monday + timedelta(days=2, minutes=5)) is None
    moved = digests.make_due(monday + timedelta(days=9, minutes=5))
    assert (moved.starts_at, moved.ends_at) == (first.ends_at, monday + timedelta(days=9))
    assert Digest.objects.count() == 2
