"""Uploaded images are hostile until Pillow has decoded and re-encoded them.

Every upload (featured images, author photos, images dropped into the Markdown editor) goes
through `reencode_upload`: the browser's name and content type are ignored, the bytes must decode
as one of a few raster formats, the pixel count is capped before decoding (decompression bombs),
and what gets stored is a fresh encoding (no EXIF: photos can carry GPS positions) with the
extension of the detected format.

Photos straight from a phone or a camera (up to MAX_UPLOAD_BYTES and MAX_PIXELS) are scaled down
to MAX_DIMENSION on the long side rather than refused: nobody should need an image editor to
write an article. A JPEG is decoded at a reduced scale when it can be (Pillow's `draft`), so a
100-megapixel photo never needs its full 300 MB of pixels in memory.
"""

import uuid
import warnings
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 100_000_000
MAX_DIMENSION = 2560
# Detected format -> (format to save as, extension).
FORMATS = {
    "JPEG": ("JPEG", "jpg"),
    "PNG": ("PNG", "png"),
    "GIF": ("PNG", "png"),  # first frame only: animations are not worth their weight here
    "WEBP": ("WEBP", "webp"),
}
ACCEPTED = "JPEG, PNG, GIF or WebP"


# Files people drag in by mistake, named in the message instead of "not an image".
NOT_IMAGES = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a Word, Excel or ZIP file",
    b"\xd0\xcf\x11\xe0": "an Office document",
}


def reencode_upload(upload, max_dimension=MAX_DIMENSION):
    """Return a ContentFile holding a safe re-encoding of `upload`, or raise ValidationError."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This file is {filesizeformat(size)}; images may be at most "
            f"{filesizeformat(MAX_UPLOAD_BYTES)}.",
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    for magic, what in NOT_IMAGES.items():
        if data.startswith(magic):
            raise ValidationError(
                f"This file is {what}, not an image; upload a photo or picture as {ACCEPTED}.",
                code="not_an_image",
            )
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 megapixels; our own cap below is the one that counts. Its
            # error (twice that) still stops a bomb at the header.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data))
            fmt = image.format
            if fmt not in FORMATS:
                raise ValidationError(
                    f"{fmt or 'This'} files are not accepted; upload a {ACCEPTED} image.",
                    code="format",
                )
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    f"This image is {image.width:,}×{image.height:,} pixels "
                    f"({image.width * image.height / 1_000_000:.0f} megapixels); the limit is "
                    f"{MAX_PIXELS // 1_000_000} megapixels.",
                    code="too_many_pixels",
                )
            if fmt == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale when that still covers the final size.
                scale = min(1, max_dimension / max(image.size))
                image.draft(None, (round(image.width * scale), round(image.height * scale)))
            image.load()
            image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(
            f"This image has too many pixels; the limit is {MAX_PIXELS // 1_000_000} megapixels.",
            code="too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            f"This file is not an image we can read; upload a {ACCEPTED} image.", code="invalid"
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This image is damaged or truncated and could not be read.", code="invalid"
        ) from None

    save_format, extension = FORMATS[fmt]
    image.thumbnail((max_dimension, max_dimension), Image.Resampling.LANCZOS)
    if save_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if save_format == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    out = BytesIO()
    options = {"JPEG": {"quality": 85, "optimize": True, "progressive": True},
               "PNG": {"optimize": True}, "WEBP": {"quality": 82}}[save_format]  # fmt: skip
    image.save(out, save_format, **options)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
