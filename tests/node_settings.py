"""Production settings for the app nodes the tests start (tests/test_nodes.py): the site's own,
except static files. Tests check pages, not hashed file names, so static files need no
collectstatic manifest here (as in tests/conftest.py)."""

from backstory.settings import *  # noqa: F403
from backstory.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
