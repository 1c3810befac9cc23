"""make run's mail: each message saved in ./outbox/ as files a person opens (mailer/outbox.py)."""

import email

from bs4 import BeautifulSoup
from django.core.mail import EmailMultiAlternatives, send_mail


def test_each_message_is_an_eml_and_a_page_with_clickable_links_listed_newest_first(
    settings, tmp_path
):
    settings.EMAIL_BACKEND = "mailer.outbox.EmailBackend"
    settings.EMAIL_OUTBOX = tmp_path / "outbox"
    send_mail("Confirm your comment", "Confirm: http://127.0.0.1:8000/comments/confirm/abc/",
              "site@example.org", ["pat@example.org"])  # fmt: skip
    message = EmailMultiAlternatives("Welcome <you>", "Plain", "site@example.org", ["sam@x.org"])
    message.attach_alternative('<p><a href="http://127.0.0.1:8000/x/">Open</a></p>', "text/html")
    message.send()

    folder = settings.EMAIL_OUTBOX
    emls = sorted(folder.glob("*.eml"))
    assert len(emls) == 2
    parsed = email.message_from_bytes(emls[0].read_bytes())
    assert parsed["To"] == "pat@example.org"

    index = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    entries = [li.get_text(" ", strip=True) for li in index.select("li")]
    assert entries[0].startswith("Welcome <you> to sam@x.org")  # newest first, escaped
    assert entries[1].startswith("Confirm your comment to pat@example.org")
    first = BeautifulSoup((folder / emls[0].with_suffix(".html").name).read_text(), "html.parser")
    assert first.find("a", href="http://127.0.0.1:8000/comments/confirm/abc/")
