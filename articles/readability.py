"""The editor's readability panel: the grade of the text being written, its longest sentences
and its glossary words, computed by education.readability from the text as it renders. The panel
is drawn on the server with the form (no JavaScript needed) and redrawn by
static/js/readability.js from `analyse`'s JSON as staff type."""

from django.conf import settings
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from education import enrich, readability
from education.models import GlossaryTerm
from markup.render import RenderRefused, html_to_text, markdown_to_html

from .models import SiteSettings


def report(source, target):
    plain = enrich.without_markers(markdown_to_html(source or ""))
    measured = readability.measure_html(plain)
    terms = enrich.glossary_found(html_to_text(plain), GlossaryTerm.objects.all())
    return {
        "grade": measured.grade,
        "smog": measured.smog,
        "target": target,
        "above_target": measured.grade is not None and measured.grade > target,
        "words": measured.words,
        "sentences": measured.sentences,
        "longest": [
            {"words": words, "text": text, "long": words > readability.LONG_SENTENCE_WORDS}
            for words, text in measured.longest
        ],
        "long_words": readability.LONG_SENTENCE_WORDS,
        "glossary": [{"term": term.term, "explanation": term.explanation} for term in terms],
    }


def panel(article, analyse_url):
    """The panel's HTML for the form, from the saved text (or an empty one)."""
    target = SiteSettings.load().target_grade
    try:
        data = report(article.body if article else "", target)
    except RenderRefused:
        data = report("", target)
    return render_to_string(
        "admin/articles/article/_readability.html", {"r": data, "analyse_url": analyse_url}
    )


@require_POST
def analyse(request):
    """POST content=<Markdown> → the panel's numbers as JSON. Staff only (the admin's view
    wrapper) and CSRF-checked like every admin POST."""
    source = request.POST.get("content", "")
    if len(source) > settings.MARKDOWN_PREVIEW_MAX_CHARS:
        return JsonResponse({"error": "The text is too long to measure."}, status=413)
    try:
        return JsonResponse(report(source, SiteSettings.load().target_grade))
    except RenderRefused as refused:
        return JsonResponse({"error": str(refused)}, status=422)
