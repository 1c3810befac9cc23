import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import SiteSettings
from mailer.compose import build
from subscriptions import delivery
from subscriptions.mail import NewArticleMail, confirmation_message
from tests.factories import ArticleFactory, UserFactory
from tests.smtp import body_html, body_text
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db

# Characters that HTML escaping would change: a subject is plain text and shows them as typed.
TITLE = 'Hips & knees: "why" <not> both?'
BLOG = "Spine & Joint"


@pytest.fixture
def blog():
    row = SiteSettings.load()
    row.name = BLOG
    row.save()


def test_a_mail_is_text_and_html_from_the_templates_with_a_one_line_subject(blog):
    article = ArticleFactory(title="Standing desks")
    context = {"article": article, "error": "421", "summary": "Waiting.", "deliveries_url": "/x/"}
    message = build("delivery_problem", context, ["ed@practice.example"], headers={"X-Test": "1"})
    assert message.subject == f"[{BLOG}] Problem sending “Standing desks” to followers"
    assert message.to == ["ed@practice.example"]
    assert message.from_email == "The Back Story <noreply@localhost>"
    assert message.extra_headers == {"X-Test": "1"}
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and "Waiting." in html
    # The blog's name was loaded because the context had none; a given one is used as it is.
    assert message.body.rstrip().endswith(BLOG)
    given = build("delivery_problem", {**context, "blog_name": "Elsewhere"}, "ed@practice.example")
    assert given.to == ["ed@practice.example"]
    assert given.subject.startswith("[Elsewhere]")


def test_the_blog_name_is_loaded_once_per_batch_not_once_per_mail(blog):
    article = ArticleFactory()
    followers = FollowerFactory.create_batch(3)
    mail = NewArticleMail(article)
    with CaptureQueriesContext(connection) as queries:
        messages = [mail.for_follower(f) for f in followers]
    assert len(queries.captured_queries) == 0
    assert [m.to for m in messages] == [[f.email] for f in followers]


def test_follower_mail_subjects_read_as_they_did_when_they_were_python_strings(blog):
    article = ArticleFactory(title=TITLE)
    follower = FollowerFactory(status="pending")
    assert NewArticleMail(article).for_follower(follower).subject == TITLE
    assert confirmation_message(follower).subject == f"Please confirm: follow {BLOG} by email"


def test_the_staff_alert_has_its_subject_and_goes_from_the_server_address(
    blog, smtp_server, settings
):
    settings.SERVER_EMAIL = "server@practice.example"
    settings.ADMINS = [("Admin", "admin@practice.example")]
    UserFactory(username="ed", email="ed@practice.example", groups=["Editors"])
    article = ArticleFactory(title=TITLE)
    delivery.alert_staff(article, "451 greylisted", "2 mail(s) wait.")
    [(_, first), (_, second)] = sorted(smtp_server.messages, key=lambda m: m[0])
    assert {first["To"], second["To"]} == {"admin@practice.example, ed@practice.example"}
    # (the parsed header keeps the space its folding began with)
    assert first["Subject"].strip() == f"[{BLOG}] Problem sending “{TITLE}” to followers"
    assert first["From"] == "server@practice.example"
    assert "2 mail(s) wait." in body_text(first) and body_html(first)
