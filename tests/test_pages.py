"""The page helpers the tests read responses with must see what they claim to see."""

from tests.pages import attrs, nowhere, one, select, text, texts

PAGE = """<!doctype html><html><head><title>Back &amp; forth</title>
<script type="application/ld+json">{"email": "hidden@example.com"}</script>
<style>.x::after { content: "styled words" }</style></head>
<body><main><h1 class="entry-title big">Jordan &amp; Lee</h1>
<p>Five <strong>bold</strong>er
   claims.</p><!-- a note for 10.0.0.1 -->
<a href="/page/2/?s=a&amp;b" data-owner="owner&#64;example.com">Next</a>
<template><p>later words</p></template></main></body></html>"""


def test_text_is_what_a_reader_reads():
    assert text(PAGE, "h1") == "Jordan & Lee"
    assert "Five bolder claims." in text(PAGE)
    assert "Back & forth" in text(PAGE)
    for unseen in ("hidden@example.com", "styled words", "later words", "10.0.0.1"):
        assert unseen not in text(PAGE)
    assert text(PAGE, ".missing") == ""


def test_elements_and_attributes_by_selector():
    assert texts(PAGE, "main > *:not(template)") == ["Jordan & Lee", "Five bolder claims.", "Next"]
    assert attrs(PAGE, "a", "href") == ["/page/2/?s=a&b"]
    assert attrs(PAGE, "h1", "class") == ["entry-title big"]
    assert one(PAGE, ".entry-title").name == "h1"
    assert select(PAGE, "p") and not select(PAGE, "table")


def test_nowhere_looks_in_scripts_comments_attributes_and_through_entities():
    for hidden in ("hidden@example.com", "10.0.0.1", "owner@example.com", "styled words"):
        assert not nowhere(PAGE, hidden), hidden
    assert not nowhere(PAGE.encode(), "data-owner")
    assert nowhere(PAGE, "nobody@example.com")
