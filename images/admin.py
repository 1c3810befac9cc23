import json

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.html import format_html

from .models import MediaImage

PICKER_PAGE_SIZE = 60


class MediaImageForm(forms.ModelForm):
    class Meta:
        model = MediaImage
        fields = ["file", "description", "caption"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff fill the description in here; only the editor's upload leaves it empty for a
        # moment, until its dialog asks for it.
        self.fields["description"].required = True


@admin.register(MediaImage)
class MediaImageAdmin(admin.ModelAdmin):
    form = MediaImageForm
    list_display = ["thumbnail", "described", "caption", "size", "uploaded_by", "uploaded_at"]
    list_display_links = ["described"]
    search_fields = ["description", "caption", "file"]
    list_filter = ["uploaded_at"]
    list_select_related = ["uploaded_by"]
    list_per_page = 40

    class Media:
        css = {"all": ["css/editor.css"]}

    readonly_fields = ["preview", "size", "uploaded_by", "uploaded_at", "address"]
    fields = ["preview", "file", "description", "caption", "size", "address", "uploaded_by",
              "uploaded_at"]  # fmt: skip

    @admin.display(description="image")
    def thumbnail(self, obj):
        data = obj.as_json()
        return format_html(
            '<img src="{}" alt="" class="media-thumb" width="96" height="{}" loading="lazy">',
            data["thumb"],
            round(96 * obj.height / obj.width) if obj.width and obj.height else 64,
        )

    @admin.display(description="description", ordering="description")
    def described(self, obj):
        return obj.description or "(not described yet)"

    @admin.display(description="size")
    def size(self, obj):
        return f"{obj.width} × {obj.height} px" if obj.width and obj.height else "—"

    @admin.display(description="preview")
    def preview(self, obj):
        if not obj.pk or not obj.file:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" class="media-preview" width="{}" height="{}">',
            obj.as_json()["thumb"], obj.description, obj.width, obj.height,
        )  # fmt: skip

    @admin.display(description="address")
    def address(self, obj):
        if not obj.pk or not obj.file:
            return "—"
        return format_html('<a href="{0}">{0}</a>', obj.file.url)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "picker/",
                self.admin_site.admin_view(self.picker_view),
                name="images_mediaimage_picker",
            ),
            path(
                "<int:pk>/describe/",
                self.admin_site.admin_view(self.describe_view),
                name="images_mediaimage_describe",
            ),
            *super().get_urls(),
        ]

    def picker_view(self, request):
        """The library as JSON for the editor's "Choose from library" dialog, newest first."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        images = MediaImage.objects.search(request.GET.get("q"))[:PICKER_PAGE_SIZE]
        return JsonResponse({"images": [image.as_json() for image in images]})

    def describe_view(self, request, pk):
        """Save an image's description (and caption) from the editor; answer its Markdown."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        image = get_object_or_404(MediaImage, pk=pk)
        if not self.has_change_permission(request, image):
            raise PermissionDenied
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = request.POST
        description = " ".join(str(data.get("description", "")).split())
        if not description:
            return JsonResponse({"error": "Describe the image before inserting it."}, status=400)
        limit = MediaImage._meta.get_field("description").max_length
        if len(description) > limit:
            return JsonResponse(
                {"error": f"Keep the description under {limit} characters."}, status=400
            )
        image.description = description
        update = ["description"]
        if "caption" in data:
            image.caption = " ".join(str(data["caption"]).split())[:500]
            update.append("caption")
        image.save(update_fields=update)
        return JsonResponse(image.as_json())
