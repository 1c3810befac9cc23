"""The providers staff configured (SocialApp rows in the admin), as the sign-in page needs them.

Their buttons are forms that POST to our own address, which redirects to the provider. Chromium
applies the Content-Security-Policy's `form-action` to that redirect too, so the sign-in page
names each configured provider's authorization origin in its own policy, and no other page does.
"""

from urllib.parse import urlsplit

from allauth.socialaccount.adapter import get_adapter


def authorization_url(provider):
    """Where the provider's sign-in starts, known without asking the provider anything: the
    class's fixed address (Google, Facebook, Apple), or an OpenID Connect app's server_url
    (or the authorization_endpoint staff put in its openid_configuration_overrides)."""
    settings = (provider.app.settings or {}) if provider.app else {}
    overrides = settings.get("openid_configuration_overrides") or {}
    if overrides.get("authorization_endpoint"):
        return overrides["authorization_endpoint"]
    adapter = getattr(provider, "oauth2_adapter_class", None)
    if hasattr(adapter, "authorization_url"):  # an address from settings (readers/wordpress_com)
        return adapter.authorization_url()
    fixed = getattr(adapter, "authorize_url", None)
    if isinstance(fixed, str):
        return fixed
    return settings.get("server_url", "")


def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in {"http", "https"} else ""


def form_origins(request):
    found = {origin(authorization_url(p)) for p in get_adapter().list_providers(request)}
    return sorted(filter(None, found))
