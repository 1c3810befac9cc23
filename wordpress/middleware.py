from django.shortcuts import redirect

from . import old_links

SAFE = {"GET", "HEAD"}


class OldQueryLinksMiddleware:
    """The old blog's /?p=<id> links and their kin: a 301 to where the item lives now.

    They share the home page's address (only the query string tells them apart), so they are
    answered here, before the home page's view, rather than by a route of their own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in SAFE or request.resolver_match.view_name != "articles:home":
            return None
        url = old_links.redirect_for_query(request.GET)  # raises Http404 for a hidden id
        return redirect(url, permanent=True) if url else None
