"""Messages from paired templates: templates/email/<name>_subject.txt, <name>.txt, <name>.html."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string

from articles.models import SiteSettings


def blog_name():
    """The blog's name as staff set it (one query): pass it in when building many messages."""
    return SiteSettings.load().name


def build(name, context, to, headers=None, from_email=None):
    """One message to `to` (an address or a list), from the `name` templates and `context`.

    The context gains `site_url`, and `blog_name` unless it has one already. The subject is one
    line: a template's line breaks and runs of spaces become single spaces.
    """
    context = {"site_url": settings.SITE_URL, **context}
    if "blog_name" not in context:
        context["blog_name"] = blog_name()
    subject = " ".join(render_text(f"email/{name}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject,
        render_text(f"email/{name}.txt", context),
        from_email or settings.DEFAULT_FROM_EMAIL,
        [to] if isinstance(to, str) else list(to),
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"email/{name}.html", context), "text/html")
    return message


def render_text(template_name, context):
    """A plain-text template without HTML escaping: a comment quoting `<b> & "x"` reads as typed,
    not as `&lt;b&gt; &amp; &quot;x&quot;`. Only the .html part is escaped."""
    return get_template(template_name).template.render(Context(context, autoescape=False))
