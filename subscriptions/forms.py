from django import forms


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "That doesn’t look like an email address. Check it, e.g. name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
