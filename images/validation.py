"""Uploaded images are hostile until Pillow has decoded and re-encoded them.

Every upload (featured images, author photos, images dropped into the Markdown editor) goes
through `reencode_upload`: the browser's name and content type are ignored, the bytes must decode
as one of a few raster formats, the pixel count is capped before decoding (decompression bombs),
and what gets stored is a fresh encoding (no EXIF: photos can carry GPS positions) with the
extension of the detected format.
"""

import uuid
import warnings
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Detected format -> (format to save as, extension).
FORMATS = {
    "JPEG": ("JPEG", "jpg"),
    "PNG": ("PNG", "png"),
    "GIF": ("PNG", "png"),  # first frame only: animations are not worth their weight here
    "WEBP": ("WEBP", "webp"),
}
ACCEPTED = "JPEG, PNG, GIF or WebP"


def reencode_upload(upload, max_dimension=2400):
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
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data))
            fmt = image.format
            if fmt not in FORMATS:
                raise ValidationError(
                    f"{fmt or 'This'} files are not accepted; upload a {ACCEPTED} image.",
                    code="format",
                )
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    f"This image is {image.width}×{image.height} pixels; the limit is "
                    f"{MAX_PIXELS // 1_000_000} megapixels.",
                    code="too_many_pixels",
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
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
