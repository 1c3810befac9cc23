"""The practice's identity (site settings): header, footer, structured data, retirement."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from articles.models import SiteSettings
from tests.factories import PageFactory

pytestmark = pytest.mark.django_db
ADMIN_URL = "/admin/articles/sitesettings/"


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def practice():
    site = SiteSettings.load()
    site.practice_name = "Larkfield Spine Center"
    site.phone = "(505) 555-0142"
    site.email = "appointments@example.org"
    site.street_address = "123 Example Street"
    site.address_locality = "Anytown"
    site.address_region = "ST"
    site.postal_code = "00000"
    site.address_country = "US"
    site.opening_hours = "Mo-Fr 08:00-17:00\nSa 09:00-12:00"
    site.cta_url = "/contact/"
    site.disclaimer_page = PageFactory(title="Medical disclaimer", slug="medical-disclaimer")
    site.privacy_page = PageFactory(title="Privacy", slug="privacy")
    site.save()
    return site


def test_the_header_offers_the_phone_as_a_tel_link_and_the_call_to_action(client, practice):
    header = soup(client.get("/")).find("header", class_="site-header")
    phone = header.find("a", href="tel:+15055550142")
    assert phone.get_text(" ", strip=True) == "Call (505) 555-0142"
    cta = header.find("a", class_="practice-cta")
    assert (cta["href"], cta.string) == ("/contact/", "Request an appointment")


def test_without_a_phone_or_link_the_header_shows_neither(client):
    header = soup(client.get("/")).find("header", class_="site-header")
    assert not header.select('a[href^="tel:"], .practice-cta, .practice-bar')


def test_the_footer_has_the_contact_details_hours_disclaimer_and_privacy(client, practice):
    footer = soup(client.get("/")).find("footer")
    address = footer.find("address").get_text(" ", strip=True)
    assert address.startswith("123 Example Street Anytown, ST 00000")
    assert footer.find("address").find("a", href="tel:+15055550142")
    assert footer.find("a", href="mailto:appointments@example.org")
    hours = [" ".join(li.get_text().split()) for li in footer.select(".footer-hours li")]
    assert hours == ["Monday–Friday: 08:00–17:00", "Saturday: 09:00–12:00"]
    assert footer.find("a", href="/medical-disclaimer/").string == "Medical disclaimer"
    assert footer.find("a", href="/privacy/").string == "Privacy"
    assert "not medical advice" in footer.find(class_="footer-disclaimer").string
    assert "© " in footer.find(class_="footer-copyright").string
    assert "Larkfield Spine Center" in footer.find(class_="footer-copyright").string


def test_the_home_page_describes_the_practice_as_a_medical_clinic(client, practice, settings):
    page = soup(client.get("/"))
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data == {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": "Larkfield Spine Center",
        "url": settings.SITE_URL + "/",
        "telephone": "+15055550142",
        "email": "appointments@example.org",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "123 Example Street",
            "addressLocality": "Anytown",
            "addressRegion": "ST",
            "postalCode": "00000",
            "addressCountry": "US",
        },
        "openingHours": ["Mo-Fr 08:00-17:00", "Sa 09:00-12:00"],
    }


def test_the_home_page_has_a_meta_description_from_the_tagline(client):
    page = soup(client.get("/"))
    assert page.find("meta", attrs={"name": "description"})["content"] == (
        SiteSettings.load().tagline
    )


def test_a_category_is_described_by_its_own_description(client, article):
    article.category.description = "Everything about recovery."
    article.category.save()
    page = soup(client.get(article.category.get_absolute_url()))
    descriptions = page.find_all("meta", attrs={"name": "description"})
    assert [meta["content"] for meta in descriptions] == ["Everything about recovery."]


def test_a_change_of_phone_shows_on_the_next_page_even_with_the_chrome_cached(
    client, practice, django_capture_on_commit_callbacks
):
    assert soup(client.get("/")).find("a", href="tel:+15055550142")
    with django_capture_on_commit_callbacks(execute=True):
        practice.phone = "(505) 555-0199"
        practice.save()
    page = soup(client.get("/"))
    assert page.find("a", href="tel:+15055550199")
    assert not page.find("a", href="tel:+15055550142")


def test_staff_edit_the_identity_in_the_admin(editor_client, client):
    disclaimer = PageFactory(title="Medical disclaimer", slug="medical-disclaimer")
    response = editor_client.post(
        ADMIN_URL,
        {
            "name": "The Back Story",
            "practice_name": "Larkfield Spine Center",
            "phone": "+1 505 555 0142",
            "opening_hours": "Mo-Fr 08:00-17:00",
            "cta_label": "Book a visit",
            "cta_url": "https://booking.example.org/",
            "disclaimer_page": disclaimer.pk,
        },
    )
    assert response.status_code == 302, response.content
    header = soup(client.get("/")).find("header")
    assert header.find("a", href="tel:+15055550142")
    assert header.find("a", href="https://booking.example.org/").string == "Book a visit"


@pytest.mark.parametrize("hours", ["Monday to Friday", "Mo-Fr 8-17", "Xx 08:00-17:00"])
def test_opening_hours_must_be_written_as_schema_org_writes_them(hours):
    site = SiteSettings.load()
    site.opening_hours = hours
    with pytest.raises(ValidationError, match="one period a line"):
        site.full_clean()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.example/", "contact"])
def test_the_call_to_action_goes_to_this_site_or_an_http_address(link):
    site = SiteSettings.load()
    site.cta_url = link
    with pytest.raises(ValidationError, match="path on this site"):
        site.full_clean()


def test_browsers_asking_for_favicon_ico_get_one(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
