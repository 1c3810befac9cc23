"""Autosave: the article form's text kept on the server every few seconds while staff type
(static/js/autosave.js), and offered back when the form is opened again.

An `Autosave` row per article and user (per user and draft key for "Add article"). Saving one
writes that row only: the article, its revisions, the page cache and the followers never hear
of it. Saving the article through the form deletes the user's autosave: it is then saved work.
"""

import json
import uuid
from contextlib import suppress

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Article, Autosave

# The form fields kept: the words. Choices (category, tags, time) are quick to make again.
FIELDS = ("title", "slug", "body", "excerpt", "meta_description", "featured_image_alt")
MAX_CHARS = 200_000  # per field: well past any article, well short of filling the disk


def _owner(request, article_id):
    """The article the request may autosave (None for a new one), or a refusal."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return None, JsonResponse({"error": "Sign in to keep your text."}, status=403)
    if article_id is None:
        if not user.has_perm("articles.add_article"):
            return None, JsonResponse({"error": "You may not write articles."}, status=403)
        return None, None
    article = Article.objects.editable_by(user).filter(pk=article_id).first()
    if article is None or not user.has_perm("articles.change_article"):
        return None, JsonResponse({"error": "You may not edit this article."}, status=403)
    return article, None


def _read(request):
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    article_id = data.get("article")
    if article_id is not None and not isinstance(article_id, int):
        return None
    key = data.get("key")
    if article_id is None:
        try:
            key = uuid.UUID(str(key))
        except ValueError:
            return None
    return article_id, key, data.get("fields")


def _row(user, article, key):
    if article is not None:
        return Autosave.objects.filter(user=user, article=article)
    return Autosave.objects.filter(user=user, article=None, draft_key=key)


@require_POST
def save(request):
    read = _read(request)
    if read is None or not isinstance(read[2], dict):
        return JsonResponse({"error": "Not an autosave."}, status=400)
    article_id, key, fields = read
    article, refused = _owner(request, article_id)
    if refused:
        return refused
    kept = {
        name: str(fields[name])[:MAX_CHARS] for name in FIELDS if isinstance(fields.get(name), str)
    }
    now = timezone.now()
    Autosave.objects.update_or_create(
        user=request.user,
        article=article,
        draft_key=None if article else key,
        defaults={"fields": kept, "saved_at": now},
    )
    return JsonResponse({"saved_at": now.isoformat(), "time": local_time(now)})


@require_POST
def discard(request):
    read = _read(request)
    if read is None:
        return JsonResponse({"error": "Not an autosave."}, status=400)
    article_id, key, _fields = read
    article, refused = _owner(request, article_id)
    if refused:
        return refused
    _row(request.user, article, key).delete()
    return JsonResponse({"discarded": True})


def offered(user, article):
    """The autosave to offer when `user` opens the form: newer text than the article has.

    For a new article, the newest autosave of one never saved. For an article, the user's
    autosave if it was kept after the article's text last changed and differs from it (someone
    else's later save makes it stale: offering it would undo their work unasked).
    """
    if article is None:
        return Autosave.objects.filter(user=user, article=None).order_by("-saved_at").first()
    autosave = Autosave.objects.filter(user=user, article=article).first()
    if autosave is None or autosave.saved_at <= article.updated_at:
        return None
    if all(autosave.fields.get(name, "") == (getattr(article, name) or "") for name in FIELDS):
        return None
    return autosave


def forget(user, article, key=None):
    """The form was saved: its autosave is saved work now."""
    Autosave.objects.filter(user=user, article=article).delete()
    if key:
        with suppress(ValueError):
            Autosave.objects.filter(user=user, article=None, draft_key=uuid.UUID(key)).delete()


def draft_key(request):
    """The key of a new article's autosaves: the one the form posted back, else a new one."""
    try:
        return str(uuid.UUID(request.POST.get("_autosave_key", "")))
    except ValueError:
        return str(uuid.uuid4())


def offer_time(autosave):
    """14:02, or 14:02 on 30 November when it was not today (the site's time zone)."""
    moment = timezone.localtime(autosave.saved_at)
    if moment.date() == timezone.localdate():
        return local_time(moment)
    return f"{local_time(moment)} on {moment:%-d %B}"


def local_time(moment):
    return timezone.localtime(moment).strftime("%H:%M")
