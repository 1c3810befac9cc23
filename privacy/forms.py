from django import forms


class DataRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter the email address you commented or followed with.",
            "invalid": "That doesn’t look like an email address. Check it, e.g. name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
