import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory
from tests.pages import nowhere, select, text, texts

pytestmark = pytest.mark.django_db


def article_form(author, category, **overrides):
    data = {
        "title": "My new article",
        "slug": "my-new-article",
        "body": "Some *text*.",
        "excerpt": "",
        "published_at_0": "",
        "published_at_1": "",
        "author": author.pk,
        "category": category.pk,
        "featured_image_alt": "",
        "reviewed_by": "",
        "last_reviewed": "",
        "comments_open": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def writer(client, author_user):
    author = AuthorFactory(user=author_user)
    client.force_login(author_user)
    return client, author


def test_an_author_can_write_a_draft_and_mark_it_ready_for_review(writer, category):
    client, author = writer
    response = client.post(
        "/admin/articles/article/add/", article_form(author, category, _draft="Save draft")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="my-new-article")
    assert article.status == Article.Status.DRAFT
    assert "Draft saved" in text(client.get(response["Location"]), ".messagelist")
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form(author, category, _submit_review="Submit for review"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert "Submitted for review" in text(client.get(response["Location"]), ".messagelist")


def test_an_author_cannot_publish(writer, category):
    client, author = writer
    form = client.get("/admin/articles/article/add/")
    assert select(form, 'form [name="_submit_review"]')
    assert not select(form, '[name="_publish"], [name="_schedule"], [name="status"]')
    # Neither a forged button nor a status field publishes anything.
    response = client.post(
        "/admin/articles/article/add/",
        article_form(author, category, status="published", _publish="Publish now"),
    )
    assert response.status_code == 302
    assert "/publish/" not in response["Location"]
    assert not Article.objects.filter(status=Article.Status.PUBLISHED).exists()
    draft = Article.objects.get()
    response = client.post(
        f"/admin/articles/article/{draft.pk}/publish/publish/", {"_confirm": "1"}
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_an_author_sees_and_edits_only_their_own_articles(writer):
    client, author = writer
    mine = ArticleFactory(author=author, title="Mine")
    theirs = ArticleFactory(title="Someone else's")
    listing = client.get("/admin/articles/article/")
    assert "Mine" in texts(listing, "#result_list tbody th") and nowhere(listing, "Someone else")
    assert client.get(f"/admin/articles/article/{theirs.pk}/change/").status_code == 302
    assert client.get(f"/admin/articles/article/{mine.pk}/change/").status_code == 200


def test_an_editor_publishes_and_schedules(editor_client):
    author, category = AuthorFactory(), CategoryFactory()
    when = timezone.localtime() + timezone.timedelta(days=2)
    response = editor_client.post(
        "/admin/articles/article/add/",
        article_form(
            author,
            category,
            _schedule="Schedule…",
            published_at_0=when.strftime("%Y-%m-%d"),
            published_at_1=when.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert response["Location"] == f"/admin/articles/article/{article.pk}/publish/schedule/"
    assert article.status == Article.Status.DRAFT  # nothing happens before the confirmation
    response = editor_client.post(response["Location"], {"_confirm": "Schedule"})
    article.refresh_from_db()
    assert article.is_scheduled
    assert "Scheduled for" in text(editor_client.get(response["Location"]), ".messagelist")


def test_a_featured_image_needs_a_description(editor_client):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (50, 50)).save(buffer, "JPEG")
    data = article_form(AuthorFactory(), CategoryFactory())
    data["featured_image"] = SimpleUploadedFile("x.jpg", buffer.getvalue(), "image/jpeg")
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 200
    assert "Describe the featured image" in text(response, ".errorlist")
    assert not Article.objects.exists()


def test_a_reserved_page_slug_is_refused_in_the_admin(editor_client):
    response = editor_client.post(
        "/admin/articles/page/add/",
        {"title": "Feed", "slug": "feed", "body": "x", "is_published": "on", "menu_order": 0},
    )
    assert response.status_code == 200
    assert "reserved" in text(response, ".field-slug .errorlist")


def test_an_editor_pins_an_article_to_the_top_of_home_and_unpins_it(
    editor_client, django_capture_on_commit_callbacks
):
    older = ArticleFactory(title="An older article", published_at=timezone.now().replace(year=2020))
    ArticleFactory(title="The newest article")
    url = "/admin/articles/article/"

    with django_capture_on_commit_callbacks(execute=True):  # the commit retires cached pages
        answer = editor_client.post(
            url, {"action": "pin", "_selected_action": [older.pk]}, follow=True
        )
    assert "1 article(s) pinned." in text(answer)
    older.refresh_from_db()
    assert older.is_sticky
    assert text(select(editor_client.get(url), "td.field-status_label")[1]) == "Published · pinned"
    assert texts(editor_client.get("/"), ".entry-title")[:2] == [
        "An older article",
        "The newest article",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url, {"action": "unpin", "_selected_action": [older.pk]})
    older.refresh_from_db()
    assert not older.is_sticky
    assert texts(editor_client.get("/"), ".entry-title")[0] == "The newest article"
