from allauth.account.forms import RequestLoginCodeForm
from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from .accounts import reader_for


class RequestCodeForm(RequestLoginCodeForm):
    """allauth's "email me a code", for readers: an address without an account gets one (its
    first code makes it verified), so the answer and the mail are the same for every address
    but a staff member's, which gets no mail at all and the same page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email"
        self.fields["email"].widget.attrs.update(autocomplete="email", placeholder="")
        self.fields["email"].validators.append(ProhibitNullCharactersValidator())

    def clean_email(self):
        email = super().clean_email()  # allauth's rate limit per IP and per address
        if email:
            self._user = reader_for(email)
        return email


class NameForm(forms.Form):
    name = forms.CharField(
        label="Name shown on your comments",
        max_length=50,
        validators=[ProhibitNullCharactersValidator()],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
