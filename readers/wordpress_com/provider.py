"""WordPress.com accounts, as the old blog's "Leave a Reply" offered: django-allauth has no
provider for it, so this is one, on allauth's OAuth2 base (WordPress.com's OAuth2 is not OpenID
Connect). Staff enable it as any other: a SocialApp whose provider is "WordPress.com".
"""

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from .views import WordPressComOAuth2Adapter


class WordPressComAccount(ProviderAccount):
    def get_profile_url(self):
        return self.account.extra_data.get("profile_URL")

    def get_avatar_url(self):
        return None  # a Gravatar on our pages would be a request to another host

    def to_str(self):
        return self.account.extra_data.get("display_name") or super().to_str()


class WordPressComProvider(OAuth2Provider):
    id = "wordpress_com"
    name = "WordPress.com"
    account_class = WordPressComAccount
    oauth2_adapter_class = WordPressComOAuth2Adapter

    def get_default_scope(self):
        return ["auth"]  # the /me endpoint: who they are and their address, nothing of their sites

    def extract_uid(self, data):
        return str(data["ID"])

    def extract_common_fields(self, data):
        return {"email": data.get("email"), "name": data.get("display_name")}

    def extract_email_addresses(self, data):
        # Only an address WordPress.com says it verified may sign in to an existing account
        # (SOCIALACCOUNT_EMAIL_AUTHENTICATION); an unverified one is kept as unverified.
        if not data.get("email"):
            return []
        verified = data.get("email_verified") is True
        return [EmailAddress(email=data["email"], verified=verified, primary=True)]


provider_classes = [WordPressComProvider]
