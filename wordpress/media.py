"""Images from the old blog's wp-content/uploads, copied into our media storage.

Only images are copied, each re-encoded by images.validation.reencode_upload like every upload
(the export is a file from elsewhere: its images are as untrusted as a browser's). They are
stored under a name derived from their place in uploads ("imported/2019/03/x-ray.jpg"), so a
second import finds them there instead of copying them again. Other files (PDFs, …) keep their
old address and are listed in the report.
"""

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from images.validation import reencode_upload

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
PREFIX = "imported"
_UPLOADS = re.compile(r"/wp-content/uploads/(?P<path>.+)$")


def uploads_path(url):
    """'2019/03/x-ray.jpg' for an address of a file in the old blog's uploads, else None.

    Knows self-hosted addresses (…/wp-content/uploads/…, also through the i0.wp.com CDN) and
    WordPress.com's (<blog>.files.wordpress.com/2019/03/…).
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https", ""}:
        return None
    path = unquote(parts.path)
    match = _UPLOADS.search(path)
    if match:
        relative = match.group("path")
    elif parts.hostname and parts.hostname.endswith(".files.wordpress.com"):
        relative = path.lstrip("/")
    else:
        return None
    relative = PurePosixPath(relative)
    if not relative.parts or ".." in relative.parts or relative.is_absolute():
        return None
    return str(relative)


class Media:
    """Copies the old blog's images from a local copy of wp-content/uploads (`media_dir`)."""

    def __init__(self, media_dir, report, dry_run=False):
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.report = report
        self.dry_run = dry_run
        self._stored = {}  # uploads path -> storage name, or None when it could not be copied

    def image_url(self, url):
        """Our address for an image of the old blog, or None when it keeps its old address."""
        name = self.store(url)
        return default_storage.url(name) if name else None

    def image_url_if_copied(self, url):
        """Our address for an image this import copied already (copying nothing), or None."""
        name = self._stored.get(uploads_path(url) or "")
        return default_storage.url(name) if name else None

    def store(self, url):
        """The storage name of the copied image, copying it on first use; None if not copied."""
        relative = uploads_path(url)
        if relative is None or self.media_dir is None:
            return None
        if PurePosixPath(relative).suffix.lower() not in IMAGE_SUFFIXES:
            return None
        if relative not in self._stored:
            self._stored[relative] = self._copy(relative)
        return self._stored[relative]

    def _copy(self, relative):
        for name in (f"{PREFIX}/{relative}", f"{PREFIX}/{relative}.png"):
            if default_storage.exists(name):
                self.report.count("images", "unchanged")
                return name
        source = (self.media_dir / relative).resolve()
        if not source.is_relative_to(self.media_dir) or not source.is_file():
            self.report.note("images", f"not in --media-dir: {relative}")
            return None
        try:
            with open(source, "rb") as upload:
                content = reencode_upload(upload)
        except (OSError, ValidationError) as error:
            reason = error.messages[0] if isinstance(error, ValidationError) else error.strerror
            self.report.note("images", f"not copied: {relative}: {reason}")
            return None
        extension = content.name.rsplit(".", 1)[1]
        name = f"{PREFIX}/{relative}"
        if PurePosixPath(relative).suffix.lower().lstrip(".") not in _same_format(extension):
            name += f".{extension}"  # a GIF is stored as PNG: say so in the name
        self.report.count("images", "created")
        if self.dry_run:
            return name
        return default_storage.save(name, content)


def _same_format(extension):
    return {"jpg", "jpeg"} if extension == "jpg" else {extension}
