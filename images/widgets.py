"""The staff's Markdown editor and the featured image's "choose from library": markdownx's
textarea and live preview, enhanced by static/js/editor.js (toolbar, uploads, the library).

Without JavaScript both are what they were: a textarea with its preview, and a plain select.
"""

from django import forms
from django.urls import reverse
from markdownx.widgets import AdminMarkdownxWidget

EDITOR_MEDIA = forms.Media(css={"all": ["css/editor.css"]}, js=["js/editor.js"])


def library_urls():
    return {
        "picker_url": reverse("admin:images_mediaimage_picker"),
        # The script puts an image's id in place of the 0.
        "describe_url": reverse("admin:images_mediaimage_describe", args=[0]),
    }


class MarkdownEditorWidget(AdminMarkdownxWidget):
    template_name = "images/editor.html"

    def __init__(self, attrs=None, words_per_minute=220):
        # The public reading time's rate, given by whoever owns it (articles), so both agree.
        self.words_per_minute = words_per_minute
        super().__init__(attrs)

    def get_context(self, name, value, attrs=None):
        context = super().get_context(name, value, attrs)
        context["widget"].update(words_per_minute=self.words_per_minute, **library_urls())
        return context

    @property
    def media(self):
        return super().media + EDITOR_MEDIA


class LibraryChoiceWidget(forms.Select):
    """A select of library images, with a "Choose from library" button that shows them."""

    template_name = "images/library_choice.html"

    def get_context(self, name, value, attrs=None):
        context = super().get_context(name, value, attrs)
        context["widget"].update(library_urls())
        return context

    @property
    def media(self):
        return EDITOR_MEDIA
