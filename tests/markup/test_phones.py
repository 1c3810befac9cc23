"""Phone numbers a reader can tap: in the settings' phone field and in written text."""

import pytest

from markup.phones import tel_url
from markup.render import markdown_to_html
from tests.factories import ArticleFactory, PageFactory


@pytest.mark.parametrize(
    ("written", "url"),
    [
        ("(505) 555-0142", "tel:+15055550142"),
        ("+1 505 555 0142", "tel:+15055550142"),
        ("505.555.0142", "tel:+15055550142"),
        ("+44 20 7946 0958", "tel:+442079460958"),
        ("", ""),
    ],
)
def test_a_number_as_people_write_it_becomes_an_e164_tel_address(written, url):
    assert tel_url(written) == url


def test_numbers_in_text_become_tel_links():
    html = markdown_to_html("**Appointments:** (505) 555-0142, or +44 20 7946 0958 from abroad.")
    assert '<a href="tel:+15055550142" rel="noopener noreferrer">(505) 555-0142</a>' in html
    assert '<a href="tel:+442079460958" rel="noopener noreferrer">+44 20 7946 0958</a>' in html


@pytest.mark.parametrize(
    "text",
    [
        "Between 1990-2000 most patients walked 10 000 steps a day.",
        "Take 400 mg three times a day from 12.05.2024 for 14 days.",
        "Recovery takes 6-12 weeks; see ISBN 978-3-16-148410-0.",
    ],
)
def test_years_doses_and_other_figures_stay_text(text):
    assert "tel:" not in markdown_to_html(text)


def test_numbers_in_links_and_code_are_left_as_written():
    html = markdown_to_html(
        "[Call the desk: (505) 555-0142](https://example.org/) and `505-555-0143`\n\n"
        "    505-555-0144\n"
    )
    assert html.count("<a ") == 1 and "tel:" not in html


@pytest.mark.django_db
def test_articles_and_pages_written_with_a_number_link_it():
    page = PageFactory(body="Call (505) 555-0142.")
    article = ArticleFactory(body="Call (505) 555-0142.")
    assert 'href="tel:+15055550142"' in page.body_html
    assert 'href="tel:+15055550142"' in article.body_html


@pytest.mark.django_db
def test_headings_get_a_permalink_in_articles_but_not_in_pages():
    page = PageFactory(body="## Opening hours\n\nWeekdays.")
    article = ArticleFactory(body="## What to expect\n\nText.")
    assert 'class="headerlink"' not in page.body_html
    assert '<h2 id="h-opening-hours">Opening hours</h2>' in page.body_html
    assert 'class="headerlink" href="#h-what-to-expect"' in article.body_html
