from django.apps import apps
from django_tasks import task

from .renditions import make_renditions, widths_field


@task()
def make_image_renditions(model_label, pk, field_name):
    """Make the renditions of one image field and record their widths on the row."""
    model = apps.get_model(model_label)
    instance = model.objects.filter(pk=pk).first()
    image = getattr(instance, field_name, None) if instance else None
    if not image:
        return []
    widths = make_renditions(image.name)
    instance.refresh_from_db()
    if getattr(instance, field_name).name != image.name:
        return []  # replaced while this ran: the new image's own task records its renditions
    # A save (not an update): whoever caches pages showing this image hears of the change.
    setattr(instance, widths_field(field_name), widths)
    instance.save(update_fields=[widths_field(field_name)])
    return widths
