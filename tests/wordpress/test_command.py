import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.wordpress.conftest import EXPORT, export_text, row_counts, write_export

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def run(*args, verbosity=1):
    out, err = StringIO(), StringIO()
    call_command("import_wordpress", *args, verbosity=verbosity, stdout=out, stderr=err)
    return out.getvalue()


def test_the_report_lists_counts_and_every_reason_for_skipping():
    output = run(str(EXPORT))
    assert "posts        6 created, 1 skipped" in output
    assert "comments     11 created, 2 skipped" in output
    assert "1 comments: a pingback or trackback, not a reader's comment (108)" in output
    assert "1 posts: in WordPress's trash (19)" in output
    assert "2 images keep their old address" in output
    assert "https://backstoryblog.example.com/wp-content/uploads/2023/04/stretch.jpg" in output


def test_quiet_at_verbosity_0_and_post_by_post_at_2():
    assert run(str(EXPORT), verbosity=0) == ""
    output = run(str(EXPORT), "--dry-run", verbosity=2)
    assert "post 10: Sciatica: why your leg hurts" in output


def test_dry_run_from_the_command_line_saves_nothing():
    before = row_counts()
    output = run(str(EXPORT), "--dry-run")
    assert output.startswith("Dry run: nothing was saved")
    assert row_counts() == before


def test_malformed_xml_names_the_line_and_changes_nothing(tmp_path):
    text = export_text()
    # Broken near the end, after every post: nothing may have been written by then.
    broken = text.replace("</channel>", "<wp:oops></channel>")
    line = broken[: broken.index("<wp:oops>")].count("\n") + 1
    before = row_counts()
    with pytest.raises(CommandError) as error:
        run(str(write_export(tmp_path, broken)))
    message = str(error.value)
    assert "is not well-formed XML: mismatched tag" in message
    assert f"at line {line}, column 12." in message
    assert "Nothing was imported." in message
    assert row_counts() == before


def test_a_file_that_is_not_a_wordpress_export(tmp_path):
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title>'
        "<item><title>Hello</title></item></channel></rss>"
    )
    with pytest.raises(CommandError, match="is not a WordPress export \\(WXR\\)"):
        run(str(write_export(tmp_path, feed)))
    with pytest.raises(CommandError, match="its root element is <html>"):
        run(str(write_export(tmp_path, "<html><body>Hi</body></html>", "page.xml")))


def test_unreadable_files(tmp_path):
    before = row_counts()
    with pytest.raises(CommandError, match="Cannot read .*missing.xml: No such file"):
        run(str(tmp_path / "missing.xml"))
    with pytest.raises(CommandError, match="Cannot read .*: Is a directory"):
        run(str(tmp_path))
    with pytest.raises(CommandError, match="--media-dir .* is not a directory"):
        run(str(EXPORT), "--media-dir", str(tmp_path / "nowhere"))
    empty = write_export(tmp_path, "", "empty.xml")
    with pytest.raises(CommandError, match="empty.xml is empty"):
        run(str(empty))
    assert row_counts() == before


def test_a_failed_import_exits_non_zero():
    env = {**os.environ, "SECRET_KEY": "tests", "DEBUG": "0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_wordpress", "no-such-export.xml"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Cannot read no-such-export.xml" in result.stderr


def test_an_entity_expansion_bomb_is_refused_quickly(tmp_path):
    entities = ['<!ENTITY e0 "lollollollollollollollollollol">'] + [
        f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10)
    ]
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE rss [' + "".join(entities) + "]>"
        '<rss><channel><wp:wxr_version xmlns:wp="http://wordpress.org/export/1.2/">&e9;'
        "</wp:wxr_version></channel></rss>"
    )
    with pytest.raises(CommandError, match="amplification"):
        run(str(write_export(tmp_path, bomb)))
