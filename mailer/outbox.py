"""A mail backend for `make run`: every message saved in a folder, readable by a person.

Django's file backend writes raw MIME into one log file per connection; here each message gets
its own `.eml` (opens in any mail program) and `.html` (opens in a browser, links clickable),
and `index.html` lists them all, newest first. Set EMAIL_OUTBOX to the folder (make run uses
./outbox/); SMTP (EMAIL_HOST) wins when both are set.
"""

import re
import threading
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.html import escape, urlize
from django.utils.text import slugify

_lock = threading.Lock()


def html_part(message):
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            return content
    return None


def readable_page(message):
    """One message as a web page: its envelope, then its HTML part (ours, sanitised when it was
    built) or its plain text with the links made clickable."""
    rows = "".join(
        f"<tr><th>{name}</th><td>{escape(value)}</td></tr>"
        for name, value in (
            ("From", message.from_email),
            ("To", ", ".join(message.to)),
            ("Subject", message.subject),
            ("Sent", datetime.now().strftime("%Y-%m-%d %H:%M:%S")),
        )
    )
    body = html_part(message)
    if body is None:
        body = f"<pre>{urlize(escape(message.body))}</pre>"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(message.subject)}</title></head><body>"
        f'<p><a href="index.html">All mail</a></p><table>{rows}</table><hr>{body}</body></html>'
    )


def write_index(folder):
    items = []
    for page in sorted(folder.glob("*.html"), reverse=True):
        if page.name == "index.html":
            continue
        title = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.DOTALL)
        to = re.search(r"<th>To</th><td>(.*?)</td>", page.read_text(encoding="utf-8"))
        items.append(
            f'<li><a href="{page.name}">{title.group(1) if title else page.name}</a>'
            f' to {to.group(1) if to else "?"} · <a href="{page.stem}.eml">.eml</a></li>'
        )
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Outbox</title>'
        "</head><body><h1>Mail the site sent</h1><p>Newest first; nothing here left this "
        f"machine.</p><ol>{''.join(items)}</ol></body></html>"
    )
    temporary = folder / ".index.html.tmp"
    temporary.write_text(html, encoding="utf-8")
    temporary.replace(folder / "index.html")


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args, folder=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = Path(folder or settings.EMAIL_OUTBOX)

    def send_messages(self, email_messages):
        self.folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        with _lock:
            for message in email_messages:
                if not message.recipients():
                    continue
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
                name = f"{stamp}-{slugify(message.subject)[:50] or 'mail'}"
                (self.folder / f"{name}.eml").write_bytes(message.message().as_bytes())
                (self.folder / f"{name}.html").write_text(readable_page(message), encoding="utf-8")
                sent += 1
            if sent:
                write_index(self.folder)
        return sent
