import pytest
from bs4 import BeautifulSoup

from markup.render import html_to_text, markdown_to_html
from wordpress.content import comment_to_text, post_to_markdown, wpautop


def no_gallery(ids):
    return [], len(ids or [])


def render(html, gallery=no_gallery):
    markdown, conversion = post_to_markdown(html, gallery_images=gallery)
    return BeautifulSoup(markdown_to_html(markdown), "html.parser"), conversion


def test_wpautop_makes_paragraphs_and_line_breaks_like_wordpress():
    html = wpautop("First line\nsame paragraph\n\nSecond paragraph\n\n<ul>\n<li>item</li>\n</ul>")
    assert html.startswith("<p>First line<br />\nsame paragraph</p>")
    assert "<p>Second paragraph</p>" in html
    assert "<p><ul>" not in html and "<li>item</li>" in html


def test_wpautop_leaves_preformatted_text_and_block_editor_content_alone():
    assert "<pre>a\n\nb</pre>" in wpautop("Intro\n\n<pre>a\n\nb</pre>")
    blocks = "<!-- wp:paragraph -->\n<p>Done by the editor</p>\n<!-- /wp:paragraph -->"
    assert wpautop(blocks) == blocks


@pytest.mark.parametrize(
    "text",
    [
        "# Not a heading",
        "2019. A good year for backs.",
        "- not a list",
        "> not a quote",
        "Stars *like these* and _underscores_ and `ticks` and [brackets](stay)",
        "5 < 6 & 7 > 3, <script>alert(1)</script> is text",
        "A back\\slash",
        "---",
    ],
)
def test_text_that_looks_like_markdown_or_html_stays_text(text):
    from html import escape

    page, _ = render(f"<p>{escape(text)}</p>")
    assert html_to_text(str(page)) == text
    assert page.find(["h1", "ul", "ol", "blockquote", "em", "script", "hr", "code"]) is None


def test_caption_old_and_new_style():
    image = '<img src="https://example.org/wp-content/uploads/x.jpg" alt="An x-ray" />'
    page, _ = render(f'[caption id="a" align="alignleft"]{image} A lateral x-ray[/caption]')
    assert page.find("img")["alt"] == "An x-ray"
    assert "A lateral x-ray" in page.get_text()
    page, _ = render(f'[caption caption="Old style caption"]{image}[/caption]')
    assert "Old style caption" in page.get_text()


@pytest.mark.parametrize(
    ("shortcode", "url"),
    [
        ("[embed]https://www.youtube.com/watch?v=abc123[/embed]", "https://www.youtube.com/watch?v=abc123"),
        ("[youtube https://youtu.be/abc123]", "https://youtu.be/abc123"),
        ("[youtube=http://www.youtube.com/watch?v=abc123&w=640]", "https://www.youtube.com/watch?v=abc123"),
        ("[vimeo 123456]", "https://vimeo.com/123456"),
        ('[video width="640" mp4="https://example.org/clip.mp4"][/video]', "https://example.org/clip.mp4"),
        ("https://vimeo.com/987654", "https://vimeo.com/987654"),
        ('<iframe src="https://www.youtube.com/embed/xyz789"></iframe>', "https://www.youtube.com/watch?v=xyz789"),
    ],
)  # fmt: skip
def test_videos_become_links(shortcode, url):
    page, _ = render(f"Watch this:\n\n{shortcode}\n\nThanks.")
    assert [a["href"] for a in page.find_all("a")] == [url]
    assert page.find("iframe") is None


def test_gallery_images_and_galleries_that_cannot_be_found():
    def gallery(ids):
        known = {7: ("https://example.org/wp-content/uploads/a.jpg", "A")}
        images = [known[i] for i in ids or known if i in known]
        return images, len([i for i in ids or [] if i not in known])

    page, conversion = render('[gallery ids="7"]', gallery)
    assert [img["alt"] for img in page.find_all("img")] == ["A"]
    assert conversion.unresolved_galleries == 0
    page, conversion = render('[gallery ids="7,8"]', gallery)
    assert conversion.unresolved_galleries == 1


def test_unknown_shortcodes_stay_as_text_and_are_reported():
    page, conversion = render('[contact-form to="x@example.org"] and [sic]')
    assert conversion.unknown_shortcodes == {"contact-form"}
    assert '[contact-form to="x@example.org"] and [sic]' in html_to_text(str(page)).replace(
        "”", '"'
    ).replace("“", '"')


def test_comment_html_becomes_plain_text_with_links_kept():
    text = comment_to_text(
        'Thanks!<p>See <a href="http://example.org/page">this page</a> and '
        '<a href="https://www.nih.gov/">nih.gov</a>.</p>\n\nI had <b>L4-L5</b> fusion.<br>'
        'Line two &amp; more.<a href="javascript:alert(1)">bad</a>'
        "<blockquote>quoted\nline</blockquote>end"
    )
    assert text == (
        "Thanks!\n\nSee this page (http://example.org/page) and https://www.nih.gov/.\n\n"
        "I had L4-L5 fusion.\nLine two & more.bad\n\n> quoted\n> line\n\nend"
    )


def test_plain_comment_text_keeps_its_paragraphs():
    assert comment_to_text("One\n\nTwo\nthree") == "One\n\nTwo\nthree"
