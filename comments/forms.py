import time

from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django_comments_xtd.forms import XtdCommentForm

from .models import Comment, takes_comments
from .policy import comments_open


class CommentForm(XtdCommentForm):
    """xtd's form with our labels, limits and checks; it never creates anything itself."""

    def __init__(self, target_object, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(target_object, *args, **kwargs)
        self.fields["name"].label = "Name"
        self.fields["name"].widget = forms.TextInput(attrs={"autocomplete": "name"})
        self.fields["email"].label = "Email"
        self.fields["email"].help_text = "Required, never shown. We send a link to confirm it."
        self.fields["email"].widget = forms.EmailInput(attrs={"autocomplete": "email"})
        self.fields["url"].label = "Website (optional)"
        self.fields["url"].widget = forms.URLInput(attrs={"autocomplete": "url"})
        self.fields["comment"].label = "Comment"
        self.fields["comment"].max_length = settings.COMMENTS_MAX_CHARS
        # xtd's own length validator goes (clean_comment says it in plainer words); the null
        # character one stays: PostgreSQL refuses NUL in text, which was a 500.
        self.fields["comment"].validators = [ProhibitNullCharactersValidator()]
        # No maxlength: a browser would silently cut a pasted text. comments.js counts instead,
        # and clean_comment says how much is too much.
        self.fields["comment"].widget = forms.Textarea(attrs={"rows": 6})
        self.fields["followup"].label = "Notify me of follow-up comments via email"
        self.fields["followup"].widget = forms.CheckboxInput()
        self.fields["honeypot"].label = "Leave this field empty"
        self.fields["honeypot"].widget.attrs.update(tabindex="-1", autocomplete="off")
        for name in ("name", "email", "url", "comment", "followup"):
            self.fields[name].widget.attrs["id"] = f"id_{name}{self._suffix()}"
        self.fields["comment"].widget.attrs["aria-describedby"] = (
            f"id_comment{self._suffix()}_count"
        )

    def _suffix(self):
        reply_to = self.initial.get("reply_to")
        return f"_{reply_to}" if reply_to else ""

    def clean_timestamp(self):
        # Pages may be cached: the form stays valid for longer than any cache keeps a page.
        timestamp = self.cleaned_data["timestamp"]
        if time.time() - timestamp > settings.COMMENTS_FORM_MAX_AGE:
            raise forms.ValidationError("This form has expired; reload the page and try again.")
        return timestamp

    def clean_comment(self):
        text = self.cleaned_data["comment"]
        if len(text) > settings.COMMENTS_MAX_CHARS:
            raise forms.ValidationError(
                f"Comments may be at most {settings.COMMENTS_MAX_CHARS:,} characters; "
                f"this one has {len(text):,}."
            )
        if not text.strip():
            raise forms.ValidationError("Write something before posting.")
        return text

    def clean(self):
        cleaned = super().clean()
        article = self.target_object
        if not takes_comments(article) or not article.is_public:
            raise forms.ValidationError(
                "Comments can be left on published articles and pages only."
            )
        if not comments_open(article):
            what = article._meta.verbose_name
            raise forms.ValidationError(f"Comments are closed on this {what}.")
        reply_to = cleaned.get("reply_to") or 0
        if reply_to:
            parent = (
                Comment.objects.for_target(article).visible().filter(pk=reply_to).only("level")
            ).first()
            if parent is None:
                raise forms.ValidationError("The comment you are replying to does not exist.")
            if parent.level + 1 >= settings.COMMENTS_MAX_DEPTH:
                raise forms.ValidationError(
                    f"Replies nest only {settings.COMMENTS_MAX_DEPTH} levels deep; reply to an "
                    "earlier comment in this conversation instead."
                )
        return cleaned
