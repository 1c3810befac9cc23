"""The demo's small structured content; the prose lives in the Markdown files beside this one.

Authors, articles and pages are Markdown files with a front matter (see `loader.read_markdown`):
authors/*.md, articles/*.md and pages/*.md. Everything is fictional: the practice, the people,
the address and the phone numbers.
"""

PRACTICE = "Larkfield Spine Center"

# slug: (name, description)
CATEGORIES = {
    "understanding-your-spine": (
        "Understanding Your Spine",
        "How the spine is built, what can go wrong with it, and the treatments doctors use "
        "to help.",
    ),
    "surgery-and-recovery": (
        "Surgery & Recovery",
        "What to expect before, during and after spine surgery, and how to give your recovery "
        "the best start.",
    ),
    "everyday-back-care": (
        "Everyday Back Care",
        "Small habits at work and at home that keep backs and necks comfortable.",
    ),
}

# slug: name
TAGS = {
    "minimally-invasive": "minimally invasive",
    "sciatica": "sciatica",
    "herniated-disc": "herniated disc",
    "posture": "posture",
    "recovery": "recovery",
    "exercise": "exercise",
    "injections": "injections",
}

# SiteSettings fields, set only where the field still holds its default value.
# "featured_author" names an author by slug.
SITE_SETTINGS = {
    "name": "The Back Story",
    "tagline": f"Straight answers about back and neck care from {PRACTICE}",
    "featured_author": "maya-lindqvist",
    "links": (
        "- [About this blog](/about/)\n"
        "- [Medical disclaimer](/medical-disclaimer/)\n"
        f"- [{PRACTICE}](https://example.org/)\n"
    ),
}
