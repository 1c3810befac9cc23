"""The shared benchmark content (../shared/bench) goes in through import_wordpress: it must land
whole, with post-001's 300 comments threaded as generated.

The content is found through BACKSTORY_SHARED_BENCH when it is set (a wrong value fails), or as
shared/bench beside the project or beside any folder above it. Without it the test is skipped
with a reason naming every place it looked; under CI=true, a shared/ folder found without a
usable bench/ inside fails instead, since that is a broken copy rather than an absent one.
"""

import importlib.util
import json
import os
import runpy
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from articles.models import Article
from comments.models import Comment
from wordpress.importer import import_wordpress

PROJECT = Path(__file__).resolve().parents[2]
ENV = "BACKSTORY_SHARED_BENCH"
SCRIPTS = ("gen_content.py", "content_to_wxr.py")
pytestmark = pytest.mark.django_db


def usable(folder):
    return all((folder / script).is_file() for script in SCRIPTS)


@pytest.fixture
def bench():
    named = os.environ.get(ENV)
    if named:
        if not usable(Path(named)):
            pytest.fail(f"{ENV}={named} has no {' and '.join(SCRIPTS)}")
        return Path(named)
    looked = []
    for folder in [PROJECT, *PROJECT.parents]:
        candidate = folder / "shared" / "bench"
        if usable(candidate):
            return candidate
        looked.append(str(candidate))
        if os.environ.get("CI") == "true" and (folder / "shared").is_dir():
            pytest.fail(f"{folder / 'shared'} is here but {candidate} has no {SCRIPTS[0]}")
    pytest.skip(f"no shared benchmark content ({ENV} unset; looked in {', '.join(looked)})")


@pytest.fixture
def benchmark_export(bench, tmp_path, monkeypatch, settings):
    settings.TIME_ZONE = "UTC"  # the generator writes UTC times
    spec = importlib.util.spec_from_file_location("gen_content", bench / "gen_content.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    # Fewer posts keep the test quick; post-001 still gets all 300 comments.
    monkeypatch.setattr(generator, "N_POSTS", 12)
    content, export = tmp_path / "content.json", tmp_path / "content.wxr.xml"
    monkeypatch.setattr(sys, "argv", ["gen_content.py", str(content)])
    generator.main()
    monkeypatch.setattr(sys, "argv", ["content_to_wxr.py", str(content), str(export)])
    runpy.run_path(str(bench / "content_to_wxr.py"))
    return json.loads(content.read_text()), export


def test_post_001_has_its_300_comments_rendered_nested(client, benchmark_export):
    data, export = benchmark_export
    report = import_wordpress([export])
    assert report.counts["posts"]["created"] == 12
    assert report.counts["comments"]["created"] == 300
    assert Article.objects.published().count() == 12

    post = Article.objects.get(slug="post-001")
    assert post.get_absolute_url() == "/2024/01/01/post-001/"
    page = BeautifulSoup(client.get(post.get_absolute_url()).content, "html.parser")
    shown = page.select("li.comment")
    assert len(shown) == 300
    by_pk = {c.pk: c.wp_id for c in Comment.objects.all()}
    generated = {c["n"]: c for c in data["comments"]}
    for li in shown:
        written = generated[by_pk[int(li["id"][1:])]]
        assert f"depth-{written['depth']}" in li["class"]
        enclosing = li.find_parent("li", class_="comment")
        parent = by_pk[int(enclosing["id"][1:])] if enclosing else None
        assert parent == written["parent"]
    # Threads in the order they were written, replies after their parents.
    roots = [by_pk[int(li["id"][1:])] for li in shown if "depth-1" in li["class"]]
    assert roots == sorted(roots)
