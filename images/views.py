from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .validation import reencode_upload


@require_POST
@staff_member_required
def markdown_upload(request):
    """Image upload for the Markdown editor: staff only, re-encoded by Pillow, never SVG."""
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": ["No image was uploaded."]}, status=400)
    try:
        image = reencode_upload(upload)
    except ValidationError as error:
        return JsonResponse({"image": error.messages}, status=400)
    name = default_storage.save(timezone.now().strftime("uploads/%Y/%m/") + image.name, image)
    return JsonResponse({"image_code": f"![]({default_storage.url(name)})"})
