"""The site's URLs plus one view that fails, to see the 500 page as a reader would."""

from django.urls import path

from backstory.urls import handler500  # noqa: F401
from backstory.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("a failure the reader must not see")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
