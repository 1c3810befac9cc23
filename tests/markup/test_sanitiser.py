from html.parser import HTMLParser

import pytest

from markup.render import markdown_to_html

# Our own list of ways to smuggle script into Markdown, raw HTML and links.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<svg onload=alert(1)><circle r=1></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<p onclick=alert(1)>hi</p>",
    "<body onload=alert(1)>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src="x" alt="" onerror="alert(1)"',
    "<a href='x' onmouseover='alert(1)'>hover</a>",
    "<style>body{display:none}</style>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "<base href=javascript:alert(1)//>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<!--<script>alert(1)</script>-->",
    "`<script>alert(1)</script>`",
    "<table background=javascript:alert(1)><tr><td>x</td></tr></table>",
]

SAFE_TAGS = {
    "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "hr", "img", "li", "ol",
    "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul", "div", "span",
}  # fmt: skip


class Elements(HTMLParser):
    """What a browser would build from the HTML: tags and their attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_inert(html):
    parser = Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in SAFE_TAGS, (tag, html)
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", (name, html)
            if name in {"href", "src"}:
                scheme = (value or "").strip().split(":", 1)[0].lower()
                assert ":" not in (value or "") or scheme in {"http", "https", "mailto"}, value


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_is_rendered_inert(payload):
    html = markdown_to_html(f"Before\n\n{payload}\n\nAfter")
    assert_inert(html)
    assert "After" in html


def test_allowed_markup_survives():
    html = markdown_to_html(
        "## Heading\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "> quoted\n\n`code`\n\n```\nblock\n```\n\n[link](https://example.org/) "
        "![alt text](/media/uploads/x.jpg)"
    )
    for fragment in [
        '<h2 id="h-heading">',
        "<li>one</li>",
        "<table>",
        "<blockquote>",
        "<code>code</code>",
        "<pre><code>block",
        'href="https://example.org/"',
        'src="/media/uploads/x.jpg"',
        'alt="alt text"',
        'class="headerlink"',
    ]:
        assert fragment in html, fragment


def test_heading_ids_cannot_take_the_pages_own_ids():
    html = markdown_to_html("## content\n\n## comments")
    assert 'id="content"' not in html and 'id="comments"' not in html
