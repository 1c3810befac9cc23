import pytest
from bs4 import BeautifulSoup

from markup.render import html_to_text, markdown_to_html
from tests.wordpress.conftest import FIXTURES
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


def test_caption_old_and_new_style_becomes_a_figure_with_its_caption():
    image = '<img src="https://example.org/wp-content/uploads/x.jpg" alt="An x-ray" />'
    page, _ = render(
        f'[caption id="a" align="alignleft"]{image} A lateral <em>x-ray</em>[/caption]'
    )
    figure = page.find("figure")
    assert figure.find("img")["alt"] == "An x-ray"
    assert str(figure.find("figcaption")) == "<figcaption>A lateral <em>x-ray</em></figcaption>"
    page, _ = render(f'[caption caption="Old style caption"]{image}[/caption]')
    assert page.find("figcaption").get_text() == "Old style caption"


@pytest.mark.parametrize(
    ("shortcode", "url"),
    [
        ("[embed]https://www.youtube.com/watch?v=abc123[/embed]", "https://www.youtube.com/watch?v=abc123"),
        ("[youtube https://youtu.be/abc123]", "https://www.youtube.com/watch?v=abc123"),
        ("[youtube=http://www.youtube.com/watch?v=abc123&w=640]", "https://www.youtube.com/watch?v=abc123"),
        ("https://youtu.be/abc123?t=90", "https://www.youtube.com/watch?v=abc123&t=90"),
        ("https://www.youtube.com/shorts/abc123", "https://www.youtube.com/watch?v=abc123"),
        ("[vimeo 123456]", "https://vimeo.com/123456"),
        ("https://vimeo.com/987654", "https://vimeo.com/987654"),
        ('<iframe src="https://www.youtube.com/embed/xyz789"></iframe>', "https://www.youtube.com/watch?v=xyz789"),
        ('<iframe src="https://player.vimeo.com/video/987654?h=ab"></iframe>', "https://vimeo.com/987654"),
    ],
)  # fmt: skip
def test_youtube_and_vimeo_become_link_cards_without_a_player(shortcode, url):
    page, _ = render(f"Watch this:\n\n{shortcode}\n\nThanks.")
    card = page.find("figure", class_="video-card")
    assert [a["href"] for a in page.find_all("a")] == [url] == [card.a["href"]]
    assert card.a.get_text().startswith("Watch the video on ")
    # Nothing on the page asks the video's site for anything.
    assert page.find(["iframe", "img", "script", "video"]) is None


@pytest.mark.parametrize(
    ("shortcode", "url"),
    [
        ('[video width="640" mp4="https://example.org/clip.mp4"][/video]', "https://example.org/clip.mp4"),
        ("[embed]https://example.org/some/post/[/embed]", "https://example.org/some/post/"),
        ("https://example.org/a-page/", "https://example.org/a-page/"),
        ('<iframe src="https://maps.example.org/embed?x=1"></iframe>', "https://maps.example.org/embed?x=1"),
    ],
)  # fmt: skip
def test_other_embeds_become_links(shortcode, url):
    page, _ = render(f"Watch this:\n\n{shortcode}\n\nThanks.")
    assert [a["href"] for a in page.find_all("a")] == [url]
    assert page.find(["iframe", "figure"]) is None


def test_gallery_of_the_attached_images_and_galleries_that_cannot_be_found():
    def gallery(ids):
        known = {
            7: ("https://example.org/wp-content/uploads/a.jpg", "A", "The first"),
            9: ("https://example.org/wp-content/uploads/b.jpg", "B", ""),
        }
        images = [known[i] for i in ids or known if i in known]
        return images, len([i for i in ids or [] if i not in known])

    page, conversion = render('[gallery ids="7,9"]', gallery)
    figure = page.find("figure", class_="gallery")
    assert [img["alt"] for img in figure.find_all("img")] == ["A", "B"]
    assert [f.get_text() for f in figure.find_all("figcaption")] == ["The first"]
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


# A block-editor post with one block of each kind the import maps, one it leaves out (the old
# site's latest posts) and one of a plugin's.
BLOCK_POST = (FIXTURES / "block-post.html").read_text(encoding="utf-8")


def test_block_editor_blocks_become_what_they_mean_here():
    markdown, conversion = post_to_markdown(BLOCK_POST, gallery_images=no_gallery)
    assert "<!-- wp:" not in markdown
    page = BeautifulSoup(markdown_to_html(markdown), "html.parser")
    assert "<!--" not in str(page)
    # image: a figure with its caption (its link kept).
    image = page.find("figure")
    assert image.img["alt"] == "A knee brace"
    assert image.figcaption.a["href"] == "https://example.org/six"
    # gallery: a gallery of figures, each with its own caption, and the gallery's.
    gallery = page.find("figure", class_="gallery")
    assert [i["alt"] for i in gallery.find_all("img")] == ["Stretch one", "Stretch two"]
    assert [c.get_text() for c in gallery.find_all("figcaption")] == ["Morning", "Two stretches"]
    # quote and pullquote: quotes, the source on its own line.
    quotes = page.find_all("blockquote")
    assert [q.get_text(" ", strip=True) for q in quotes] == [
        "Motion is lotion. — A physiotherapist",
        "Walk a little every day. — Dr. Example",
    ]
    # table with its caption, list, code, separator.
    assert [th.get_text() for th in page.find_all("th")] == ["Week", "Walk"]
    assert page.find("td").get_text() == "1"
    assert "Walking plan" in [em.get_text() for em in page.find_all("em")]
    assert [li.get_text() for li in page.find_all("li")] == ["Ice", "Rest"]
    assert page.find("code").get_text().strip() == "if pain > 7: call()"
    assert page.find("hr") is not None
    # buttons: the site's own buttons.
    assert page.find("a", class_="button")["href"] == "https://example.org/book"
    # an embedded YouTube video: a card, with its caption.
    card = page.find("figure", class_="video-card")
    assert card.a["href"] == "https://www.youtube.com/watch?v=Wa1kIng42x"
    assert card.figcaption.get_text() == "How to walk after surgery"
    # The old site's latest posts are left out, counted; the plugin's block is kept, safe, named.
    assert conversion.blocks.left_out == {"latest-posts": 1}
    assert conversion.blocks.unmapped == {"acme/booking-widget": 1}
    assert "Call us to book." in page.get_text()
    assert page.find("script") is None and "alert" not in str(page)
    assert page.find(style=True) is None and page.find(attrs={"aria-hidden": True}) is None


def test_block_footnotes_verse_and_file():
    html = (
        '<!-- wp:paragraph --><p>Rest<sup data-fn="n1" class="fn"><a href="#n1" id="n1-link">1'
        "</a></sup></p><!-- /wp:paragraph -->"
        '<!-- wp:verse --><pre class="wp-block-verse">Bend the knees,\nnot the back</pre>'
        "<!-- /wp:verse -->"
        '<!-- wp:file {"id":5} --><div class="wp-block-file"><a href="https://example.org/plan.pdf">'
        'Exercise plan</a><a href="https://example.org/plan.pdf" class="wp-block-file__button" '
        "download>Download</a></div><!-- /wp:file --><!-- wp:footnotes /-->"
    )
    markdown, _ = post_to_markdown(
        html, gallery_images=no_gallery, footnotes='[{"id":"n1","content":"Two days at most."}]'
    )
    page = BeautifulSoup(markdown_to_html(markdown), "html.parser")
    assert page.find("sup").get_text() == "1"
    assert "Bend the knees,\nnot the back" in page.get_text() and page.find("pre") is None
    assert [a.get_text() for a in page.find_all("a")] == ["Exercise plan"]
    assert page.find("ol").get_text(strip=True) == "Two days at most."


def test_blocks_nested_beyond_any_editor_and_unclosed_blocks_still_convert():
    deep = '<!-- wp:group --><div class="wp-block-group">' * 60 + "<p>Deep text</p>"
    markdown, _ = post_to_markdown(deep, gallery_images=no_gallery)
    assert "Deep text" in markdown and "<!-- wp:" not in markdown
    markdown, conversion = post_to_markdown(
        "<!-- wp:acme/box --><p>Open box <!-- /wp:other --><!-- wp:commentluv/box /-->",
        gallery_images=no_gallery,
    )
    assert "Open box" in markdown
    # Named, both: a plugin's "commentluv/box" is not WordPress's own comment block.
    assert conversion.blocks.unmapped == {"acme/box": 1, "commentluv/box": 1}
