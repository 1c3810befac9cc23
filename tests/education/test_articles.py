"""What readers and staff get from patient education in an article: glossary words explained
at their first use, references numbered and linked (and in the JSON-LD), malformed DOIs and
PubMed ids refused on save with nothing lost, the "when to seek care" callout, the printable
handout, and the editor's readability panel and the article list's grade."""

import json

import pytest
from django.urls import reverse

from articles.models import Article, SiteSettings
from education.models import CareCallout, GlossaryTerm, Reference
from tests.education.texts import EASY, HARD, MIDDLE
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def stenosis():
    return GlossaryTerm.objects.create(
        term="stenosis",
        other_forms="stenoses",
        explanation="a narrowing of the space around the nerves",
    )


@pytest.fixture
def cauda_equina():
    return CareCallout.objects.create(
        title="Signs of cauda equina syndrome",
        slug="cauda-equina",
        body="Go to an emergency department now if you have:\n\n"
        "- numbness between your legs or around your bottom\n"
        "- new trouble passing urine or controlling your bowels\n"
        "- weakness in both legs that is getting worse\n",
    )


# Glossary


def test_the_first_use_of_a_glossary_word_links_to_its_plain_explanation(client, stenosis):
    article = ArticleFactory(
        body="Spinal **stenosis** is common.\n\nStenosis can press on nerves. Stenoses vary.\n\n"
        "## Stenosis in the neck\n\n`stenosis` in code stays as it is.\n"
    )
    page = parse(client.get(article.get_absolute_url()))
    links = page.select(".entry-content a.glossary-term")
    assert [link.get_text() for link in links] == ["stenosis"]
    [link] = links
    assert link.get("href") == "#define-stenosis"
    definition = page.find(id=link.get("aria-describedby"))
    assert definition.get_text() == "a narrowing of the space around the nerves"
    [term] = page.select(".glossary dt dfn")
    assert term.get_text() == "stenosis"
    assert page.select(".glossary h2")[0].get_text() == "Words used in this article"
    assert not page.select(".entry-content h2 a.glossary-term, code a")


def test_a_changed_glossary_entry_reaches_articles_already_saved(
    client, stenosis, django_capture_on_commit_callbacks
):
    article = ArticleFactory(body="Stenosis is a narrowing.")
    with django_capture_on_commit_callbacks(execute=True):
        stenosis.explanation = "when the spinal canal gets tighter"
        stenosis.save()
    assert "when the spinal canal gets tighter" in Article.objects.get(pk=article.pk).body_html
    with django_capture_on_commit_callbacks(execute=True):
        stenosis.delete()
    assert "glossary-term" not in Article.objects.get(pk=article.pk).body_html


def test_words_not_explained_to_readers_are_still_flagged_to_staff(editor_client, stenosis):
    stenosis.explain_to_readers = False
    stenosis.save()
    article = ArticleFactory(body="Stenosis is common.")
    assert "glossary-term" not in article.body_html
    data = editor_client.post(
        reverse("admin:articles_article_readability"), {"content": "Stenosis is common."}
    ).json()
    assert data["glossary"] == [
        {"term": "stenosis", "explanation": "a narrowing of the space around the nerves"}
    ]


def test_glossary_and_callout_text_from_staff_cannot_inject_markup(client):
    GlossaryTerm.objects.create(term="disc", explanation='<img src=x onerror="alert(1)">')
    CareCallout.objects.create(
        title="<b>Red</b> flags", slug="red", body="<script>alert(2)</script> Call us."
    )
    article = ArticleFactory(body="A disc (a.k.a. [disc]) can bulge.\n\n[[seek-care:red]]\n")
    page = parse(client.get(article.get_absolute_url()))
    assert not page.select(".entry-content img, .entry-content script, .seek-care b")
    assert page.find(id="define-disc-text").get_text() == '<img src=x onerror="alert(1)">'
    assert "<b>Red</b> flags" in page.select(".seek-care-title")[0].get_text()


# References


def add_references(article):
    Reference.objects.create(
        article=article, number=1, title="Walking after disc surgery", authors="Lee A, Ortiz B",
        publisher="Journal of Made-up Spine Studies", year=2021, doi="10.1234/jmss.2021.042",
        pmid="31234567",
    )  # fmt: skip
    Reference.objects.create(
        article=article, number=2, title="Back pain: a guide for patients",
        publisher="Example Health Press", year=2019, url="https://example.org/guide",
    )  # fmt: skip
    article.render_again()


def test_references_are_numbered_linked_and_cited_in_the_text(client):
    article = ArticleFactory(body="Walking helps [1]. Most people recover [2]. Not [3].")
    add_references(article)
    page = parse(client.get(article.get_absolute_url()))
    citations = page.select(".entry-content a.citation")
    assert [(a.get_text(), a.get("href")) for a in citations] == [
        ("[1]", "#ref-1"), ("[2]", "#ref-2"),
    ]  # fmt: skip
    assert "Not [3]." in page.select(".entry-content")[0].get_text()
    items = page.select(".references ol li")
    assert [item.get("id") for item in items] == ["ref-1", "ref-2"]
    hrefs = [a.get("href") for a in items[0].select("a")]
    assert "https://doi.org/10.1234/jmss.2021.042" in hrefs
    assert "https://pubmed.ncbi.nlm.nih.gov/31234567/" in hrefs
    assert "#cite-1" in hrefs
    assert page.find(id="cite-1") is not None
    assert "Lee A, Ortiz B." in items[0].get_text()


def test_references_are_the_articles_citation_in_json_ld(client):
    article = ArticleFactory(body="Walking helps [1].")
    add_references(article)
    page = parse(client.get(article.get_absolute_url()))
    [script] = page.select('script[type="application/ld+json"]')
    data = json.loads(script.text)
    posting = data.get("mainEntity", data)
    first, second = posting["citation"]
    assert first["@type"] == "ScholarlyArticle"
    assert first["name"] == "Walking after disc surgery"
    assert {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1234/jmss.2021.042"} in (
        first["identifier"]
    )
    assert "https://pubmed.ncbi.nlm.nih.gov/31234567/" in [first["url"], *first["sameAs"]]
    assert second == {
        "@type": "CreativeWork", "name": "Back pain: a guide for patients",
        "publisher": "Example Health Press", "datePublished": "2019",
        "url": "https://example.org/guide",
    }  # fmt: skip


def article_form(article, **changes):
    data = {
        "title": article.title, "slug": article.slug, "body": article.body, "excerpt": "",
        "author": article.author_id, "category": article.category_id,
        "published_at_0": "", "published_at_1": "", "featured_image_alt": "",
        "meta_description": "", "reviewed_by": "", "last_reviewed": "", "comments_open": "on",
        "references-TOTAL_FORMS": "1", "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0", "references-MAX_NUM_FORMS": "1000",
        "references-0-number": "1", "references-0-title": "A trial of walking",
        "references-0-authors": "", "references-0-publisher": "", "references-0-year": "2020",
        "references-0-doi": "", "references-0-pmid": "", "references-0-url": "",
        "_save_draft": "Save draft",
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("doi", "10.12/short", "is not a DOI"),
        ("doi", "doi 10.1234 /x", "is not a DOI"),
        ("pmid", "PMID123", "is not a PubMed id"),
        ("pmid", "123456789", "is not a PubMed id"),
    ],
)
def test_a_malformed_doi_or_pmid_is_refused_and_nothing_typed_is_lost(
    editor_client, field, value, message
):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, body="Old text.")
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor_client.post(
        url, article_form(article, body="New words [1].", **{f"references-0-{field}": value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    page = parse(response)
    assert page.find(id="id_body").get_text().strip() == "New words [1]."
    assert page.find(id=f"id_references-0-{field}").get("value") == value
    assert Article.objects.get(pk=article.pk).body == "Old text."
    assert not Reference.objects.exists()


def test_a_good_doi_is_saved_bare_and_cited_at_once(editor_client):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor_client.post(
        url,
        article_form(
            article,
            body="Walking helps [1].",
            **{"references-0-doi": "https://doi.org/10.1234/ABC.5", "references-0-pmid": "42"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    reference = Reference.objects.get()
    assert (reference.doi, reference.pmid) == ("10.1234/ABC.5", "42")
    assert 'href="#ref-1"' in Article.objects.get(pk=article.pk).body_html


# "When to seek care" callouts and the handout


def test_a_callout_marker_becomes_an_accessible_callout(client, cauda_equina):
    article = ArticleFactory(
        body="Most back pain settles.\n\n[[seek-care:cauda-equina]]\n\n[[seek-care:unknown]]\n"
    )
    page = parse(client.get(article.get_absolute_url()))
    [callout] = page.select(".entry-content aside.seek-care")
    assert callout.get("role") == "note"
    heading = page.find(id=callout.get("aria-labelledby"))
    assert heading.get_text().strip() == ("! When to seek care: Signs of cauda equina syndrome")
    assert heading.select(".seek-care-icon")[0].get("aria-hidden") == "true"
    assert "new trouble passing urine" in callout.get_text()
    # An unknown slug stays as typed, for staff to see and fix.
    assert "[[seek-care:unknown]]" in page.select(".entry-content")[0].get_text()
    assert "seek-care" not in Article.objects.get(pk=article.pk).summary


def test_a_changed_callout_reaches_the_articles_that_place_it(
    cauda_equina, django_capture_on_commit_callbacks
):
    article = ArticleFactory(body="[[seek-care:cauda-equina]]")
    other = ArticleFactory(body="Nothing to see.")
    with django_capture_on_commit_callbacks(execute=True):
        cauda_equina.body = "Call 911 at once."
        cauda_equina.save()
    assert "Call 911 at once." in Article.objects.get(pk=article.pk).body_html
    assert Article.objects.get(pk=other.pk).body_html == other.body_html


def test_the_handout_has_the_practice_its_phone_and_the_review_date(client, cauda_equina):
    site = SiteSettings.load()
    site.practice_name, site.phone = "Larkfield Spine Center", "(505) 555-0142"
    site.save()
    reviewer = AuthorFactory(name="Dr. Rivera Test", credentials="MD")
    article = ArticleFactory(
        body="Most back pain settles [1].\n\n[[seek-care:cauda-equina]]\n",
        reviewed_by=reviewer,
        last_reviewed="2026-03-04",
    )
    add_references(article)
    detail = parse(client.get(article.get_absolute_url()))
    [link] = detail.select(".entry-print a")
    assert link.get("href") == article.get_absolute_url() + "print/"
    response = client.get(link.get("href"))
    assert response.status_code == 200
    page = parse(response)
    text = " ".join(page.get_text().split())
    assert "Larkfield Spine Center" in page.select(".handout-practice")[0].get_text()
    assert page.select(".handout-phone a")[0].get("href") == "tel:+15055550142"
    assert "Medically reviewed by Dr. Rivera Test, MD on 4 March 2026" in text
    assert page.select("aside.seek-care")
    assert page.select(".references li#ref-1")
    assert not page.select(".site-nav, .sidebar, .comments-area")


def test_the_handout_of_a_draft_is_not_public(client):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert client.get(f"/2026/01/02/{article.slug}/print/").status_code == 404


# The editor's panel and the article list


def test_the_readability_endpoint_is_for_staff_with_a_csrf_token(client, editor):
    url = reverse("admin:articles_article_readability")
    assert client.post(url, {"content": EASY}).status_code == 302  # to the login page
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(url, {"content": EASY}).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 405


def test_the_panel_measures_the_text_being_written(editor_client, stenosis):
    site = SiteSettings.load()
    site.target_grade = 7
    site.save()
    data = editor_client.post(
        reverse("admin:articles_article_readability"), {"content": HARD + "\n\nStenosis."}
    ).json()
    assert data["grade"] > 12 and data["smog"] > 12
    assert data["target"] == 7 and data["above_target"] is True
    assert data["glossary"][0]["term"] == "stenosis"
    middle = editor_client.post(
        reverse("admin:articles_article_readability"), {"content": MIDDLE}
    ).json()
    assert middle["longest"][0] == {
        "words": 31, "long": True, "text": MIDDLE.split("\n\n")[-1],
    }  # fmt: skip
    easy = editor_client.post(
        reverse("admin:articles_article_readability"), {"content": EASY}
    ).json()
    assert easy["above_target"] is False and easy["longest"][0]["long"] is False


def test_the_form_shows_the_saved_texts_readability_without_javascript(editor_client):
    article = ArticleFactory(body=HARD + "\n\n" + MIDDLE)
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    page = parse(response)
    [grade] = page.select('.readability [data-field="grade"]')
    assert float(grade.get_text()) == pytest.approx(article.reading_grade)
    assert "Above the target" in page.select(".readability-verdict")[0].get_text()
    assert page.select(".readability-long mark")


def test_the_article_list_shows_each_grade_without_a_query_per_article(
    editor_client, django_assert_max_num_queries
):
    category, author = CategoryFactory(), AuthorFactory()
    for _ in range(3):
        ArticleFactory(body=EASY, category=category, author=author)
    ArticleFactory(body=HARD, category=category, author=author)
    url = reverse("admin:articles_article_changelist")
    editor_client.get(url)  # warm up whatever the admin loads once
    with django_assert_max_num_queries(30) as few:
        response = editor_client.get(url)
    ArticleFactory.create_batch(6, body=EASY, category=category, author=author)
    with django_assert_max_num_queries(len(few)):
        response = editor_client.get(url)
    grades = [cell.get_text() for cell in parse(response).select("td.field-grade")]
    assert len(grades) == 10
    assert "23.7" in grades and "0.3" in grades
