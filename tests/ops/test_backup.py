"""`manage.py backup` and `manage.py restore`: a backup restored into a fresh database (and a
fresh media folder) by another process serves the same articles, comments and pictures."""

import json
import os
import stat
import subprocess
import sys

import factory
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from ops import backup as backups
from tests.comments.conftest import approved_comment
from tests.factories import ArticleFactory
from tests.pages import attrs, text, texts

# The backup reads the database from outside the test's transaction, as it would a live site's.
pytestmark = pytest.mark.django_db(transaction=True)

SERVE = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
setup_test_environment()
# Pages, not hashed file names: no collectstatic manifest here (as in tests/conftest.py).
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()
print(json.dumps({url: Client().get(url).content.decode() for url in sys.argv[1:]}))
"""


@pytest.fixture
def fresh_database(tmp_path):
    """The address of an empty database of the suite's kind, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    yield f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def elsewhere(tmp_path, database_url, *args):
    """Run Python in another process, as another machine would: its own database and media."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SQLITE_TEST_NAME", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="backstory.settings",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(tmp_path / "restored-media"),
        CONTENT_VERSION_FILE=str(tmp_path / "restored-version"),
    )
    result = subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_backup_restored_into_a_fresh_database_serves_the_articles_and_comments(
    tmp_path, fresh_database
):
    pictured = ArticleFactory(
        title="Walking after surgery",
        featured_image=factory.django.ImageField(filename="walk.jpg", width=640, height=320),
        featured_image_alt="A path through a park",
    )
    approved_comment(pictured, user_name="Robin", comment="Ten minutes a day helped me.")
    reply_to = approved_comment(pictured, user_name="Sam", comment="How soon did you start?")
    approved_comment(pictured, parent_id=reply_to.pk, user_name="Robin", comment="Week two.")
    other = ArticleFactory(title="Sleeping with a bad back")
    approved_comment(other, comment="A pillow between the knees.")

    target = tmp_path / "backups" / "site.bak"
    call_command("backup", str(target), verbosity=0)
    media = tmp_path / "backups" / "site.media.tar.gz"
    assert target.is_file() and media.is_file()
    for made in (target, media):  # followers' addresses are in there
        assert stat.S_IMODE(made.stat().st_mode) == 0o600

    said = elsewhere(tmp_path, fresh_database, "manage.py", "restore", str(target), "--noinput")
    assert "restored" in said

    urls = [pictured.get_absolute_url(), other.get_absolute_url(), "/"]
    served = json.loads(elsewhere(tmp_path, fresh_database, "-c", SERVE, *urls))
    page = served[pictured.get_absolute_url()]
    assert text(page, "h1.entry-title") == "Walking after surgery"
    assert texts(page, ".comment-text") == [
        "Ten minutes a day helped me.", "How soon did you start?", "Week two.",
    ]  # fmt: skip
    assert texts(served[other.get_absolute_url()], ".comment-text") == [
        "A pillow between the knees."
    ]
    assert sorted(texts(served["/"], ".summary .entry-title")) == [
        "Sleeping with a bad back", "Walking after surgery",
    ]  # fmt: skip
    # The picture the restored page shows is among the restored media files.
    [src] = attrs(page, ".featured-image img", "src")
    assert (tmp_path / "restored-media" / src.removeprefix(settings.MEDIA_URL)).is_file()


def test_the_default_name_carries_the_time_and_the_engine(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = backups.backup(media=False)
    extension = "sqlite3" if connection.vendor == "sqlite" else "dump"
    assert result.database.parent == backups.Path("backups")
    assert result.database.name.startswith("backstory-")
    assert result.database.suffix == f".{extension}"
    assert result.media is None


def test_a_backup_never_overwrites_one_and_restore_refuses_what_is_not_a_backup(tmp_path):
    target = tmp_path / "once.bak"
    call_command("backup", str(target), "--no-media", verbosity=0)
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(target), verbosity=0)
    nonsense = tmp_path / "notes.txt"
    nonsense.write_text("not a database")
    with pytest.raises(CommandError, match="is not a"):
        call_command("restore", str(nonsense), "--noinput", verbosity=0)


def test_restore_asks_first(tmp_path, monkeypatch):
    ArticleFactory(title="Still here")
    target = tmp_path / "asked.bak"
    call_command("backup", str(target), verbosity=0)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(target), verbosity=0)
