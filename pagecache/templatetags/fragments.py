"""{% fragment "name" part… %}…{% endfragment %}: a declared fragment (pagecache/fragments.py),
rendered once per content version and set of parts, then read from the cache."""

from django import template

from ..fragments import DECLARED, FRAGMENTS

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist, self.name, self.parts = nodelist, name, parts

    def render(self, context):
        parts = [part.resolve(context) for part in self.parts]
        return FRAGMENTS.fetch(self.name, lambda: self.nodelist.render(context), *parts)


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a quoted fragment name first")
    name = bits[1][1:-1]
    if name not in DECLARED:
        raise template.TemplateSyntaxError(f"{bits[0]}: no fragment {name!r} is declared")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
