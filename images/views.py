from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import MediaImage
from .validation import reencode_upload


@require_POST
@staff_member_required
def markdown_upload(request):
    """Image upload for the Markdown editor: staff only, re-encoded by Pillow, never SVG.

    Every upload becomes a row of the media library, still without a description: the editor
    asks for one (images.admin `describe`) before it inserts the image.
    """
    if not request.user.has_perm("images.add_mediaimage"):
        return JsonResponse({"image": ["You may not upload images."]}, status=403)
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": ["No image was uploaded."]}, status=400)
    try:
        content = reencode_upload(upload)
    except ValidationError as error:
        return JsonResponse({"image": error.messages}, status=400)
    image = MediaImage(uploaded_by=request.user)
    image.file.save(content.name, content, save=False)
    image.save()
    # `image_code` keeps markdownx's own script working should ours not load.
    return JsonResponse({**image.as_json(), "image_code": f"![]({image.url})"})
