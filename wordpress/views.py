from django.http import Http404
from django.shortcuts import redirect

from . import old_links


def post_suffix(request, year, month, day, slug, suffix):
    """What WordPress served below a post (attachment pages, /amp/, …): a 301 to the article."""
    url = old_links.redirect_for_post_suffix(year, month, day, slug, suffix)
    if url is None:
        raise Http404("No article at this address.")
    return redirect(url, permanent=True)


def category_path(request, path):
    """WordPress's address of a subcategory, /category/<parent>/<child>/: a 301 to ours."""
    url = old_links.redirect_for_category_path(path)
    if url is None:
        raise Http404("No category at this address.")
    return redirect(url, permanent=True)
