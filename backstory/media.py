"""Where uploaded media live (featured images, author photos, the media library, renditions):
`MEDIA_STORAGE=local` (the default) on this machine's disk under MEDIA_ROOT, or `s3` in a bucket
of any S3-compatible object storage (Amazon S3, MinIO, Cloudflare R2, Backblaze B2,
DigitalOcean Spaces…) through django-storages, which every app node shares.

The code reaches media only through Django's storage API (`default_storage`, a field's file), so
the choice is this setting alone. Read by backstory/settings.py; the tests build the same
storage against their emulator.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

CHOICES = ("local", "s3")
LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def media_storage(env):
    """The `STORAGES["default"]` entry for `env` (a function reading an environment variable)."""
    kind = env("MEDIA_STORAGE", "local")
    if kind not in CHOICES:
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3; got {kind!r}.")
    if kind == "local":
        return LOCAL
    bucket = env("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (the bucket's name), and "
            "AWS_S3_ENDPOINT_URL for a service other than Amazon S3 (README: Media on object "
            "storage)."
        )
    options = {
        "bucket_name": bucket,
        # Readers' pages are cached and shared, so they must name files by addresses that do
        # not expire: no signed URLs. The bucket (or the CDN in front) is publicly readable.
        "querystring_auth": False,
        # A new upload never replaces another file of the same name (as on disk).
        "file_overwrite": False,
        # Names are random and a changed picture gets a new name: browsers may keep them.
        "object_parameters": {"CacheControl": "public, max-age=604800"},
    }
    for option, variable in (
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
        ("custom_domain", "AWS_S3_CUSTOM_DOMAIN"),
        ("location", "AWS_LOCATION"),
        ("addressing_style", "AWS_S3_ADDRESSING_STYLE"),
        ("url_protocol", "AWS_S3_URL_PROTOCOL"),
    ):
        if env(variable):
            options[option] = env(variable)
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def media_origin(storage):
    """The origin pages load media from, when it is not the site itself (for the CSP)."""
    options = storage.get("OPTIONS", {})
    if options.get("custom_domain"):
        return f"{options.get('url_protocol', 'https:')}//{options['custom_domain']}"
    if options.get("endpoint_url"):
        parts = urlsplit(options["endpoint_url"])
        return f"{parts.scheme}://{parts.netloc}"
    return None
