"""The beacon's short way in: a reader's view is counted before the session, CSRF, auth and
messages middleware run, which a beacon from someone without a session needs none of.

A beacon is sent for every page view, cached or not, so its cost is what counting adds to a
view: going through the whole stack would double it. Requests with a session cookie (staff,
whose views are not counted) take the normal way, where the view can tell who they are.
"""

from django.conf import settings

from .urls import BEACON_PATH
from .views import beacon


class BeaconMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path_info == BEACON_PATH
            and request.method == "POST"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            return beacon(request)
        return self.get_response(request)
