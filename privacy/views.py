import json
from functools import partial

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from guard.decorators import Limit, Refusal, same_site_post
from guard.requests import client_ip, once_per

from . import export, tokens
from .forms import DataRequestForm
from .tasks import send_download_link

# A link goes to an address at most this often, however often it is typed (anyone can type it).
RESEND_SECONDS = 600


def request_rate():
    return f"{settings.PRIVACY_REQUEST_RATE_LIMIT}/h"


def refuse_request(request, refusal):
    if refusal.reason == Refusal.ORIGIN:
        return render(request, "subscriptions/forbidden.html", status=403)
    form = DataRequestForm(request.POST)
    return render(request, "privacy/request.html", {"form": form, "limited": True}, status=429)


@same_site_post(limits=[Limit("my-data", request_rate, client_ip)], refused=refuse_request)
@require_http_methods(["GET", "POST"])
def request_data(request):
    """Ask for a copy of one's data: it is mailed to the address, never shown here, so only the
    address's owner gets it. The answer is the same whether the site knows the address or not."""
    if request.method != "POST":
        return render(request, "privacy/request.html", {"form": DataRequestForm()})
    form = DataRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "privacy/request.html", {"form": form})
    address = form.cleaned_data["email"].strip().lower()
    if export.known(address) and once_per("my-data", address, RESEND_SECONDS):
        transaction.on_commit(partial(send_download_link.enqueue, address))
    return redirect("privacy:sent")


def sent(request):
    return render(request, "privacy/sent.html", {"valid_days": settings.PRIVACY_DOWNLOAD_DAYS})


@never_cache
@require_GET
def download(request, token):
    """The JSON file. Opening the link changes nothing, so a mail scanner that follows it does
    no harm; the link itself is the secret, and it expires."""
    try:
        digest = tokens.digest_from_token(token)
    except tokens.ExpiredLink:
        return render(request, "privacy/link_problem.html", {"expired": True}, status=410)
    except tokens.InvalidLink:
        return render(request, "privacy/link_problem.html", status=404)
    address = export.address_for(digest)
    data = export.data_for(address) if address else {"email": None, "note": "Nothing is kept."}
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response
