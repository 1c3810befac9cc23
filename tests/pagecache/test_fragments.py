"""Cached fragments are declared in one place: a template cannot invent one."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

from pagecache import version


def test_a_fragment_that_is_not_declared_is_refused_when_the_template_compiles():
    with pytest.raises(TemplateSyntaxError, match="no fragment 'nowhere' is declared"):
        Template('{% load fragments %}{% fragment "nowhere" %}x{% endfragment %}')


def test_a_declared_fragment_is_rendered_once_per_content_version_and_parts():
    template = Template(
        '{% load fragments %}{% fragment "sidebar" n %}{{ shown }}{% endfragment %}'
    )
    assert template.render(Context({"n": 1, "shown": "first"})) == "first"
    assert template.render(Context({"n": 1, "shown": "second"})) == "first"
    assert template.render(Context({"n": 2, "shown": "other parts"})) == "other parts"
    version._write({**version.state(), "v": version.current() + 1})  # what a bump writes
    assert template.render(Context({"n": 1, "shown": "after a change"})) == "after a change"
