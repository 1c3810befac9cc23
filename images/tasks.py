from django.apps import apps
from django_tasks import task

from .renditions import make_renditions


@task()
def make_image_renditions(model_label, pk, field_name):
    """Make the renditions of one image field and record their widths on the row."""
    model = apps.get_model(model_label)
    instance = model.objects.filter(pk=pk).first()
    image = getattr(instance, field_name, None) if instance else None
    if not image:
        return []
    widths = make_renditions(image.name)
    # The image may have been replaced while this ran: record only for the same file.
    model.objects.filter(pk=pk, **{field_name: image.name}).update(
        **{f"{field_name}_renditions": widths}
    )
    return widths
