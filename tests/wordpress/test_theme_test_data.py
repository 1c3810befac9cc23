"""WordPress's own theme test data (github.com/WordPress/theme-test-data, GPL; see the README
beside the files): every block of the block-theme data and of the classic theme unit test
export is mapped here, left out as the old site's own widget, or named; none shows as markup."""

import pytest

from articles.models import Article, Page
from wordpress.blocks import is_site_part
from wordpress.importer import import_wordpress

from .conftest import FIXTURES

DATA = FIXTURES / "theme-test-data"
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["64-block-test-data.zip", "themeunittestdata.wordpress.zip"])
def test_every_block_is_mapped_and_no_block_markup_is_shown(name):
    report = import_wordpress([DATA / name])
    assert dict(report.unmapped_blocks) == {}
    assert report.blocks_left_out and all(is_site_part(b) for b in report.blocks_left_out)
    lines = list(report.lines())
    assert any(line.startswith("Blocks left out") for line in lines)
    assert not [r for (kind, r) in report.skipped if kind in {"posts", "pages"} and "render" in r]
    bodies = [a.body_html for a in Article.objects.all()] + [
        p.body_html for p in Page.objects.all()
    ]
    assert len(bodies) > 20
    assert not [b for b in bodies if "<!-- wp:" in b or "<!--" in b]
