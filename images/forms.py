from django import forms

from .models import MediaImage
from .widgets import LibraryChoiceWidget


class LibraryImageField(forms.ModelChoiceField):
    """One image of the media library, chosen from a select or its thumbnails (editor.js)."""

    widget = LibraryChoiceWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", MediaImage.objects.all())
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "(none chosen)")
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{obj} ({obj.width} × {obj.height})"


def use_library_image(form, choice_field, file_field, alt_field):
    """Make a model form store the library image chosen in `choice_field` in its image field.

    The row then points at the library's stored file (nothing is copied): the field's own
    pipeline (images.fields) sees a new name and makes the renditions, so everything that reads
    that field (pages, feeds, mail, social cards) works as for an upload. The description
    becomes the alt text unless one was typed.
    """
    media = form.cleaned_data.get(choice_field)
    if media is None:
        return
    if form.files.get(form.add_prefix(file_field)):
        form.add_error(choice_field, "Upload a file or choose one from the library, not both.")
        return
    form.cleaned_data[file_field] = media.file.name
    if not (form.cleaned_data.get(alt_field) or "").strip():
        form.cleaned_data[alt_field] = media.description
