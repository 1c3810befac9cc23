from django import forms
from django.db import models

from .validation import MAX_UPLOAD_BYTES, reencode_upload


class SafeImageFormField(forms.ImageField):
    """An image form field that stores only a Pillow re-encoding of the upload."""

    def __init__(self, *args, max_dimension=2400, **kwargs):
        self.max_dimension = max_dimension
        kwargs.setdefault(
            "help_text", f"JPEG, PNG, GIF or WebP, at most {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/gif,image/webp")

    def to_python(self, data):
        if data in self.empty_values:
            return None
        # Our checks run first: they cap size and pixels before Django's own full decode.
        return reencode_upload(data, max_dimension=self.max_dimension)


class SafeImageField(models.ImageField):
    def __init__(self, *args, max_dimension=2400, **kwargs):
        self.max_dimension = max_dimension
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.max_dimension != 2400:
            kwargs["max_dimension"] = self.max_dimension
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": SafeImageFormField, "max_dimension": self.max_dimension, **kwargs}
        )


def queue_renditions(instance, field_name):
    """After the row is committed, make the renditions of its image in the background."""
    from functools import partial

    from django.db import transaction

    from .tasks import make_image_renditions

    transaction.on_commit(
        partial(make_image_renditions.enqueue, instance._meta.label, instance.pk, field_name)
    )
