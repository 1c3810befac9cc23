"""Followers from the old blog: a WordPress.com subscriber export (CSV) becomes active followers.

The export's columns have changed over the years, so the header is matched loosely: any of the
spellings below for the address, the date subscribed and (if present) the subscription status.
A file without a header row is read as "address, date". No mail is sent: these people confirmed
their subscription on the old blog. Suppressed addresses (unsubscribed, bounced, erased) stay out.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from .models import Follower, Suppression, address_hash, normalise_email
from .services import local_stamp

EMAIL_COLUMNS = {"email", "email_address", "e_mail", "mail", "subscriber", "subscriber_email"}
DATE_COLUMNS = {
    "date_subscribed", "subscribed", "subscribed_at", "subscribed_date", "subscription_date",
    "subscribe_date", "date", "created", "created_at", "date_created", "since",
}  # fmt: skip
STATUS_COLUMNS = {"status", "subscription_status", "email_subscription", "email_status"}
# Statuses meaning "receives the mail" on the old blog; anything else ("not confirmed", "not
# sending", "unsubscribed") never gave consent or withdrew it.
ACTIVE_STATUSES = {"", "active", "subscribed", "confirmed", "yes", "true", "1"}
DATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M", "%m/%d/%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y",
]  # fmt: skip
CHUNK = 500


class ImportFileError(Exception):
    """The file cannot be read as a subscriber export at all."""


@dataclass
class ImportReport:
    imported: int = 0
    already_following: int = 0
    suppressed: int = 0
    not_active_on_old_blog: int = 0
    duplicates_in_file: int = 0
    dates_not_understood: int = 0
    invalid: list = field(default_factory=list)  # (line number, reason)


@dataclass
class Row:
    line: int
    email: str
    subscribed_at: datetime | None


def column_key(name):
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


def read_rows(path):
    """The file's rows as (line number, {column: value}); raises ImportFileError."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # an export re-saved by a spreadsheet
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise ImportFileError(f"{path} is empty.")
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(lines, dialect)
    header = [column_key(name) for name in next(reader)]
    if not EMAIL_COLUMNS.intersection(header):
        if "@" not in lines[0]:
            raise ImportFileError(
                f"{path} has no email column: expected a header such as "
                f"{', '.join(sorted(EMAIL_COLUMNS))}."
            )
        # No header row: the first line is already a subscriber ("address, date").
        reader = csv.reader(lines, dialect)
        header = ["email", "date_subscribed"]
    for values in reader:
        if any(value.strip() for value in values):
            record = {
                (header[i] if i < len(header) else f"column_{i}"): value.strip()
                for i, value in enumerate(values)
            }
            yield reader.line_num, record


def pick(record, columns):
    return next((record[name] for name in record if name in columns and record[name]), "")


def parse_date(value):
    if not value:
        return None
    if value.isdigit() and len(value) >= 9:  # a Unix timestamp
        return datetime.fromtimestamp(int(value), tz=UTC)
    parsed = None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        for fmt in DATE_FORMATS:
            try:
                parsed = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def import_followers(path, source="the old blog's WordPress.com subscriber export"):
    """Make each subscriber in the export an active follower; returns an ImportReport."""
    report = ImportReport()
    seen = set()
    chunk = []
    for line, record in read_rows(path):
        email = normalise_email(pick(record, EMAIL_COLUMNS))
        try:
            validate_email(email)
        except ValidationError:
            shown = email or "(empty)"
            report.invalid.append((line, f"“{shown}” is not an email address"))
            continue
        if email in seen:
            report.duplicates_in_file += 1
            continue
        seen.add(email)
        if pick(record, STATUS_COLUMNS).strip().lower() not in ACTIVE_STATUSES:
            report.not_active_on_old_blog += 1
            continue
        date_text = pick(record, DATE_COLUMNS)
        subscribed_at = parse_date(date_text)
        if date_text and subscribed_at is None:
            report.dates_not_understood += 1
        chunk.append(Row(line, email, subscribed_at))
        if len(chunk) >= CHUNK:
            _import_chunk(chunk, source, Path(path).name, report)
            chunk = []
    if chunk:
        _import_chunk(chunk, source, Path(path).name, report)
    return report


def _import_chunk(rows, source, filename, report):
    now = timezone.now()
    with transaction.atomic():
        existing = {
            f.email: f
            for f in Follower.objects.select_for_update().filter(email__in=[r.email for r in rows])
        }
        suppressed = set(
            Suppression.objects.filter(
                address_hash__in=[address_hash(r.email) for r in rows]
            ).values_list("address_hash", flat=True)
        )
        new = []
        for row in rows:
            follower = existing.get(row.email)
            if address_hash(row.email) in suppressed:
                report.suppressed += 1
                continue
            if follower is not None and follower.status != Follower.Status.PENDING:
                report.already_following += 1  # active, or unsubscribed/bounced here: theirs
                continue
            since = (
                f"subscribed there on {local_stamp(row.subscribed_at)}"
                if row.subscribed_at
                else "subscription date not given"
            )
            note = (
                f"Imported on {local_stamp(now)} from {source} ({filename}, line {row.line}); "
                f"{since}."
            )
            if follower is not None:
                # They also asked here but had not confirmed: the old blog's consent stands.
                follower.status = Follower.Status.ACTIVE
                follower.source = Follower.Source.IMPORT
                follower.confirmed_at = row.subscribed_at or now
                follower.consent_note = "\n".join(filter(None, [follower.consent_note, note]))
                follower.save()
            else:
                new.append(
                    Follower(
                        email=row.email,
                        status=Follower.Status.ACTIVE,
                        source=Follower.Source.IMPORT,
                        subscribed_at=row.subscribed_at or now,
                        confirmed_at=row.subscribed_at or now,
                        consent_note=note,
                    )
                )
            report.imported += 1
        # ignore_conflicts: someone may subscribe through the form while this runs.
        Follower.objects.bulk_create(new, ignore_conflicts=True)
