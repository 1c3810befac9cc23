from django.conf import settings
from django_tasks import task

from mailer.compose import build


@task()
def send_sign_in_code(address, code):
    """Mail a sign-in code (queued after commit by the sign-in form). The code is useless once
    LOGIN_BY_CODE_TIMEOUT has passed, or once it was used."""
    minutes = settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60
    build("sign_in_code", {"code": code, "minutes": minutes}, address).send(fail_silently=False)
    return "sent"
