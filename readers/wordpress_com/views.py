from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)
from django.conf import settings


def api_base():
    """WordPress.com's API, or (tests) a stand-in on loopback: SOCIALACCOUNT_PROVIDERS
    ["wordpress_com"]["API_URL"]."""
    chosen = getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}).get("wordpress_com", {})
    return chosen.get("API_URL", "https://public-api.wordpress.com").rstrip("/")


class WordPressComOAuth2Adapter(OAuth2Adapter):
    provider_id = "wordpress_com"

    @classmethod
    def authorization_url(cls):
        return f"{api_base()}/oauth2/authorize"

    @property
    def authorize_url(self):
        return self.authorization_url()

    @property
    def access_token_url(self):
        return f"{api_base()}/oauth2/token"

    @property
    def profile_url(self):
        return f"{api_base()}/rest/v1/me"

    def complete_login(self, request, app, token, **kwargs):
        headers = {"Authorization": f"Bearer {token.token}"}
        with get_adapter().get_requests_session() as session:
            response = session.get(self.profile_url, headers=headers)
            response.raise_for_status()
            data = response.json()
        return self.get_provider().sociallogin_from_response(request, data)


oauth2_login = OAuth2LoginView.adapter_view(WordPressComOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(WordPressComOAuth2Adapter)
