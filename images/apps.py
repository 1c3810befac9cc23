from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Media library"
    # What the staff groups may do with the media library (articles.groups): both groups upload
    # and describe images; only Editors delete them.
    staff_permissions = {
        "Editors": ["mediaimage"],
        "Authors": ["add_mediaimage", "change_mediaimage", "view_mediaimage"],
    }
