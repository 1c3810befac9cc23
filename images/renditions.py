"""Responsive renditions of uploaded images: WebP with a JPEG fallback, in three widths.

They are made by a background task after the upload is saved (re-encoding a large photo six
times takes longer than a request should), and recorded on the model as the list of widths
made; until then pages show the original.
"""

from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

WIDTHS = (480, 960, 1440)
FORMATS = {"webp": ("WEBP", {"quality": 80, "method": 4}), "jpg": ("JPEG", {"quality": 82})}


def widths_field(image_field):
    """The model field that records which widths of `image_field`'s image have been made."""
    return f"{image_field}_renditions"


def rendition_name(name, width, extension):
    path = PurePosixPath(name)
    return f"renditions/{path.parent}/{path.stem}-{width}w.{extension}"


def widths_for(original_width):
    """The standard widths narrower than the original, or the original's own if it is small."""
    return [w for w in WIDTHS if w <= original_width] or [original_width]


def make_renditions(name, storage=default_storage):
    """Write every rendition of the stored image `name`; return the widths made."""
    with storage.open(name, "rb") as handle:
        image = Image.open(handle)
        image.load()
    image = ImageOps.exif_transpose(image)
    made = []
    for width in widths_for(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        for extension, (fmt, options) in FORMATS.items():
            frame = resized
            if fmt == "JPEG" and frame.mode not in ("RGB", "L"):
                background = Image.new("RGB", frame.size, "white")
                rgba = frame.convert("RGBA")
                background.paste(rgba, mask=rgba.split()[-1])
                frame = background
            buffer = BytesIO()
            frame.save(buffer, fmt, **options)
            target = rendition_name(name, width, extension)
            if storage.exists(target):
                storage.delete(target)
            storage.save(target, ContentFile(buffer.getvalue()))
        made.append(width)
    return made


def srcset(name, widths, extension, storage=default_storage):
    return ", ".join(f"{storage.url(rendition_name(name, w, extension))} {w}w" for w in widths)
