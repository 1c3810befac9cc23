from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def code_minutes():
    """How long a mailed sign-in code works, for the page that asks for it."""
    return settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60
