"""An import sends no mail at all, checked at a real SMTP server."""

import pytest
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.signals import post_save

from articles.models import Article
from articles.signals import importing, is_importing
from comments.models import Comment
from comments.tasks import notify_followers
from tests.wordpress.conftest import EXPORT, export_text, write_export
from wordpress.importer import import_wordpress

pytestmark = pytest.mark.django_db

LATER_COMMENTS = """
		<wp:comment>
			<wp:comment_id>112</wp:comment_id>
			<wp:comment_author><![CDATA[Priya N.]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[priya@example.org]]></wp:comment_author_email>
			<wp:comment_date><![CDATA[2023-07-01 09:00:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2023-07-01 14:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Walking daily: no more heel pain.]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>101</wp:comment_parent>
		</wp:comment>
		<wp:comment>
			<wp:comment_id>113</wp:comment_id>
			<wp:comment_author><![CDATA[New Reader]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[new@example.org]]></wp:comment_author_email>
			<wp:comment_date><![CDATA[2023-07-02 09:00:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2023-07-02 14:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Held for moderation in WordPress.]]></wp:comment_content>
			<wp:comment_approved><![CDATA[0]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
		</wp:comment>
"""
LATER_POST = """
	<item>
		<title><![CDATA[Neck pain and your pillow]]></title>
		<dc:creator><![CDATA[drmaya]]></dc:creator>
		<content:encoded><![CDATA[One pillow, not three.]]></content:encoded>
		<wp:post_id>30</wp:post_id>
		<wp:post_date><![CDATA[2023-07-05 09:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2023-07-05 14:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[neck-pain-and-your-pillow]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
	</item>
</channel>"""


@pytest.fixture
def follower_mail():
    """Stands in for the subscriptions app: mails followers about a saved article after commit,
    unless it is being imported (the documented way to stay quiet)."""
    seen = []

    def announce(sender, instance, raw=False, **kwargs):
        seen.append(is_importing())
        if raw or is_importing():
            return
        transaction.on_commit(
            lambda: send_mail("New article", instance.title, None, ["follower@example.org"])
        )

    post_save.connect(announce, sender=Article, dispatch_uid="test-follower-mail")
    yield seen
    post_save.disconnect(sender=Article, dispatch_uid="test-follower-mail")


def test_an_import_sends_no_mail_to_followers_commenters_or_moderators(
    smtp_server, follower_mail, editor, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_wordpress([EXPORT])
    # Readers who follow their threads; an editor who moderates (and would be mailed).
    Comment.objects.exclude(user_email="").update(followup=True)
    later = (
        export_text()
        .replace("<!-- The reply comes before", LATER_COMMENTS + "<!-- The reply comes before")
        .replace("</channel>", LATER_POST)
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = import_wordpress([write_export(tmp_path, later)])
    assert report.counts["comments"]["created"] == 2
    assert report.counts["posts"]["created"] == 1
    assert smtp_server.messages == []
    assert follower_mail and all(follower_mail)

    # The same followers, listener and server outside an import do get mail: the test can fail.
    notify_followers.enqueue(Comment.objects.get(wp_id=112).pk)
    assert smtp_server.wait_for(1, timeout=10)
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(wp_id=30).get().save()
    assert smtp_server.wait_for(1, timeout=10)
    assert smtp_server.to("follower@example.org")


@pytest.mark.django_db(transaction=True)
def test_commit_callbacks_queued_during_an_import_still_see_the_flag():
    # In production the import's transaction is the outermost one: listeners that defer their
    # work to on_commit must still find is_importing() true when it runs.
    during_commit = []

    def listener(sender, instance, **kwargs):
        transaction.on_commit(lambda: during_commit.append(is_importing()))

    post_save.connect(listener, sender=Article, dispatch_uid="test-commit-flag")
    try:
        import_wordpress([EXPORT])
    finally:
        post_save.disconnect(sender=Article, dispatch_uid="test-commit-flag")
    assert during_commit and all(during_commit)
    assert not is_importing()


def test_the_flag_is_reset_even_when_an_import_fails():
    with pytest.raises(ValueError), importing():
        assert is_importing()
        raise ValueError
    assert not is_importing()


def test_active_blog_followers_get_no_mail_for_imported_posts_until_a_scheduled_one_is_due(
    smtp_server, tmp_path, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from subscriptions.models import Follower, Notification

    Follower.objects.create(email="reader@example.org", status=Follower.Status.ACTIVE)
    local = timezone.localtime()
    recent = (local - datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S")
    future = (local + datetime.timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")
    posts = "".join(
        f"""
	<item>
		<title><![CDATA[{title}]]></title>
		<dc:creator><![CDATA[drmaya]]></dc:creator>
		<content:encoded><![CDATA[Some words.]]></content:encoded>
		<wp:post_id>{post_id}</wp:post_id>
		<wp:post_date><![CDATA[{date}]]></wp:post_date>
		<wp:post_name><![CDATA[{slug}]]></wp:post_name>
		<wp:status><![CDATA[{status}]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
	</item>"""
        for title, post_id, date, slug, status in (
            ("Published two hours ago", 40, recent, "two-hours-ago", "publish"),
            ("Coming on Friday", 41, future, "coming-on-friday", "future"),
        )
    )
    export = write_export(tmp_path, export_text().replace("</channel>", posts + "</channel>"))
    with django_capture_on_commit_callbacks(execute=True):
        import_wordpress([export])
    assert smtp_server.messages == []
    # Nothing is owed for what the old blog already announced; the scheduled post is owed
    # when its time comes (the notification task re-checks then).
    assert not Notification.objects.filter(article__wp_id=40).exists()
    assert Notification.objects.filter(article__wp_id=41).exists()
