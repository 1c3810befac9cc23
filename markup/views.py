from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from .render import markdown_to_html


@require_POST
@staff_member_required
def markdown_preview(request):
    """The editor's live preview: staff only, size-capped, sanitised exactly as the page is."""
    source = request.POST.get("content", "")
    if len(source) > settings.MARKDOWN_PREVIEW_MAX_CHARS:
        return HttpResponse(
            f"<p><strong>Preview unavailable:</strong> the text is longer than "
            f"{settings.MARKDOWN_PREVIEW_MAX_CHARS:,} characters.</p>",
            status=413,
        )
    return HttpResponse(markdown_to_html(source))
