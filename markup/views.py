from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from .render import RenderRefused, markdown_to_html


def _unavailable(reason, status):
    # markdownx shows whatever the response holds, whatever its status: say why in the preview.
    return HttpResponse(
        format_html("<p><strong>Preview unavailable:</strong> {}</p>", reason), status=status
    )


@require_POST
@staff_member_required
def markdown_preview(request):
    """The editor's live preview: staff only, size-capped, sanitised exactly as the page is."""
    source = request.POST.get("content", "")
    if len(source) > settings.MARKDOWN_PREVIEW_MAX_CHARS:
        return _unavailable(
            f"the text is longer than {settings.MARKDOWN_PREVIEW_MAX_CHARS:,} characters.", 413
        )
    try:
        return HttpResponse(markdown_to_html(source))
    except RenderRefused as refused:
        return _unavailable(str(refused), 422)
