from pathlib import Path

import pytest
from django.apps import apps
from PIL import Image

from wordpress.importer import import_wordpress

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "spine-blog.xml"


@pytest.fixture(autouse=True)
def _old_blog_time_zone(settings):
    # The old blog ran in Chicago: post 10 was published at 23:30 there, 04:30 UTC next day.
    settings.TIME_ZONE = "America/Chicago"


@pytest.fixture
def uploads(tmp_path):
    """A copy of the old site's wp-content/uploads holding one of the two images posts use."""
    root = tmp_path / "uploads"
    (root / "2023" / "04").mkdir(parents=True)
    Image.new("RGB", (30, 20), (200, 120, 80)).save(root / "2023" / "04" / "lumbar-model.png")
    return root


@pytest.fixture
def imported(db):
    return import_wordpress([EXPORT])


def export_text():
    return EXPORT.read_text(encoding="utf-8")


def write_export(tmp_path, text, name="export.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def row_counts():
    """Rows in every table of the project, by model: what "the database unchanged" means."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy
    }
