from django import forms

from articles.models import DEFAULT_CATEGORY_SLUG, Category

from .models import Follower


class PreferencesForm(forms.Form):
    """What a follower receives: the topics (none ticked: every topic) and how often."""

    category = forms.ModelMultipleChoiceField(
        label="Topics",
        # "Uncategorized" is no topic: what is filed there reaches those who chose every topic.
        queryset=Category.objects.exclude(slug=DEFAULT_CATEGORY_SLUG).order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none to receive every topic, including new ones.",
        error_messages={"invalid_choice": "Choose topics from the list."},
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Follower.Frequency.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose how often from the list."},
    )

    def clean_frequency(self):
        # The sidebar's form sends no choice: one email for each new article, as before.
        return self.cleaned_data["frequency"] or Follower.Frequency.EACH

    @classmethod
    def for_follower(cls, follower, data=None):
        initial = {
            "category": [] if follower.all_topics else list(follower.topics.all()),
            "frequency": follower.frequency,
        }
        return cls(data, initial=initial)


class SubscribeForm(PreferencesForm):
    field_order = ["email", "category", "frequency"]

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "That doesn’t look like an email address. Check it, e.g. name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
