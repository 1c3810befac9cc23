from functools import partial

from django import forms
from django.core import checks
from django.db import models, transaction
from django.db.models import signals

from .renditions import widths_field
from .validation import MAX_DIMENSION, MAX_UPLOAD_BYTES, reencode_upload


class SafeImageFormField(forms.ImageField):
    """An image form field that stores only a Pillow re-encoding of the upload."""

    def __init__(self, *args, max_dimension=MAX_DIMENSION, **kwargs):
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
    """An image field whose uploads are re-encoded (see SafeImageFormField).

    With `renditions=True` it also keeps the model's `<name>_renditions` list current, whoever
    saves the row (the admin, an import, the demo loader): when the file changes, the old
    renditions are forgotten in the same save and new ones are made by a background task once
    the row is committed. The models themselves do no image work.

    Whether the file changed is judged against the name the row had when it was loaded, so no
    save reads the row again for it. (An instance refreshed after another process changed the
    file only has its renditions made once more.)
    """

    def __init__(self, *args, max_dimension=MAX_DIMENSION, renditions=False, **kwargs):
        self.max_dimension = max_dimension
        self.renditions = renditions
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.max_dimension != MAX_DIMENSION:
            kwargs["max_dimension"] = self.max_dimension
        # `renditions` is behaviour, not schema: left out, so migrations' historical models
        # (and their data migrations) queue no tasks.
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": SafeImageFormField, "max_dimension": self.max_dimension, **kwargs}
        )

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.renditions and widths_field(self.name) not in {
            f.name for f in self.model._meta.get_fields()
        }:
            errors.append(
                checks.Error(
                    f"{self.model.__name__}.{self.name} keeps renditions but the model has no "
                    f"field {widths_field(self.name)!r} to record them in.",
                    obj=self,
                    id="images.E001",
                )
            )
        return errors

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if self.renditions and not cls._meta.abstract:
            signals.post_init.connect(self._remember_stored_name, sender=cls)
            signals.pre_save.connect(self._forget_renditions_if_changed, sender=cls)
            signals.post_save.connect(self._queue_renditions_if_changed, sender=cls)

    # The name the database holds for this instance's row, and whether this save replaces it.
    @property
    def _stored_key(self):
        return f"_{self.attname}_stored_name"

    @property
    def _changed_key(self):
        return f"_{self.attname}_changed"

    def _remember_stored_name(self, instance, **kwargs):
        if self.attname in instance.__dict__:  # not deferred
            value = instance.__dict__[self.attname]
            setattr(instance, self._stored_key, getattr(value, "name", value) or "")

    def _saves_this_field(self, raw, update_fields):
        # Fixtures (raw) are rows as they were; a save of other fields leaves the file alone.
        return not raw and (update_fields is None or self.attname in update_fields)

    def _forget_renditions_if_changed(self, sender, instance, raw, update_fields, **kwargs):
        if not self._saves_this_field(raw, update_fields):
            return
        file = getattr(instance, self.attname)
        if instance._state.adding:
            changed = bool(file)
        else:
            # An upload not yet stored is new whatever it is called.
            changed = (bool(file) and not file._committed) or (
                file.name or ""
            ) != self._stored_name(instance)
        setattr(instance, self._changed_key, changed)
        if changed:
            setattr(instance, widths_field(self.name), [])

    def _queue_renditions_if_changed(self, sender, instance, raw, update_fields, **kwargs):
        if not self._saves_this_field(raw, update_fields):
            return
        file = getattr(instance, self.attname)
        setattr(instance, self._stored_key, file.name or "")
        if not instance.__dict__.pop(self._changed_key, False):
            return
        widths = widths_field(self.name)
        if update_fields is not None and widths not in update_fields:
            # A save naming its fields (or of a partly loaded row) wrote the file, not the list.
            type(instance)._base_manager.using(instance._state.db).filter(pk=instance.pk).update(
                **{widths: []}
            )
        if file:
            queue_renditions(instance, self.name)

    def _stored_name(self, instance):
        stored = getattr(instance, self._stored_key, None)
        if stored is None:
            # Loaded without this field and assigned since: ask the database, this once.
            stored = (
                type(instance)
                ._base_manager.using(instance._state.db)
                .filter(pk=instance.pk)
                .values_list(self.attname, flat=True)
                .first()
            )
        return stored or ""


def queue_renditions(instance, field_name):
    """After the row is committed, make the renditions of its image in the background."""
    from .tasks import make_image_renditions

    transaction.on_commit(
        partial(make_image_renditions.enqueue, instance._meta.label, instance.pk, field_name)
    )
