"""django-allauth, kept to readers: no passwords, mail through the task queue, staff refused.

Staff sign in at the admin (signin/: axes' lockout, the authenticator code). Whatever route a
sign-in takes here (an emailed code, a provider vouching for a staff member's address), a staff
or superuser account is never signed in by allauth.
"""

from functools import partial

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.db import transaction
from django.shortcuts import render

from .identity import is_staff, random_username
from .tasks import send_sign_in_code

# allauth's mails for an address it has no account for. Every address but a staff member's gets
# an account (and a code) when it asks, so only staff addresses come here: they get nothing,
# and the page says the same as for anyone.
SILENT = {"account/email/unknown_account", "account/email/account_already_exists"}


def refuse_staff(request):
    return render(request, "readers/staff_refused.html", status=403)


class ReaderAccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        if not user.username:
            user.username = random_username()

    def pre_login(self, request, user, **kwargs):
        if is_staff(user):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return refuse_staff(request)
        return super().pre_login(request, user, **kwargs)

    def send_mail(self, template_prefix, email, context):
        if template_prefix in SILENT:
            return
        if template_prefix == "account/email/login_code":
            transaction.on_commit(partial(send_sign_in_code.enqueue, email, context["code"]))
            return
        super().send_mail(template_prefix, email, context)


class ReaderSocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin):
        # An existing account found by the provider's id or by its (verified) address.
        if sociallogin.user and sociallogin.user.pk and is_staff(sociallogin.user):
            raise ImmediateHttpResponse(refuse_staff(request))

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.username = random_username()
        return user
