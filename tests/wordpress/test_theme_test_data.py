"""WordPress's own theme test data (github.com/WordPress/theme-test-data, GPL; see the README
beside the files): every block of the block-theme data and of the classic theme unit test
export is mapped here, or left out as one of the old site's own widgets; none shows as markup.

The block-theme data goes through the whole import; the classic export (three times the rows,
most of them categories, tags and comments that have nothing to do with blocks) through the
same conversion of each post's text the import makes, which keeps the suite's time down.
"""

import pytest
from bs4 import BeautifulSoup

from articles.models import Article, Page
from markup.render import markdown_to_html
from wordpress import wxr
from wordpress.blocks import Blocks, is_site_part
from wordpress.content import post_to_markdown
from wordpress.importer import import_wordpress
from wordpress.values import first_meta

from .conftest import FIXTURES

DATA = FIXTURES / "theme-test-data"


def shows_block_markup(html):
    """Whether a reader would see block-editor markup: as a comment the sanitiser missed, or as
    text (escaped markup) anywhere but in code, where a post may quote it on purpose."""
    soup = BeautifulSoup(html, "html.parser")
    for code in soup.find_all(["pre", "code"]):
        code.decompose()
    return "<!-- wp:" in html.replace("&lt;!-- wp:", "") or "<!-- wp:" in soup.get_text()


@pytest.mark.django_db
def test_the_block_theme_data_imports_with_every_block_mapped_and_none_shown():
    report = import_wordpress([DATA / "64-block-test-data.zip"])
    assert dict(report.unmapped_blocks) == {}
    assert report.blocks_left_out and all(is_site_part(b) for b in report.blocks_left_out)
    assert any(line.startswith("Blocks left out") for line in report.lines())
    assert not [r for (kind, r) in report.skipped if kind in {"posts", "pages"}]
    bodies = [a.body_html for a in Article.objects.all()]
    bodies += [p.body_html for p in Page.objects.all()]
    assert len(bodies) > 60
    assert not [b for b in bodies if shows_block_markup(b)]


def test_the_classic_theme_unit_test_posts_convert_with_every_block_mapped_and_none_shown():
    found, converted = Blocks(), 0
    for document in wxr.sources([DATA / "themeunittestdata.wordpress.zip"]):
        for name, element in wxr.iter_channel(document):
            if name != "item" or wxr.post_type_of(element) not in {"post", "page"}:
                continue
            item = wxr.read_item(element)
            markdown, conversion = post_to_markdown(
                item.get("content:encoded", ""),
                gallery_images=lambda ids: ([], 0),
                footnotes=first_meta(item["meta"], "footnotes"),
            )
            found.left_out.update(conversion.blocks.left_out)
            found.unmapped.update(conversion.blocks.unmapped)
            assert not shows_block_markup(markdown_to_html(markdown)), item.get("wp:post_id")
            converted += 1
    assert converted > 70
    assert dict(found.unmapped) == {}
    assert found.left_out and all(is_site_part(b) for b in found.left_out)
