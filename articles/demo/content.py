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
    # The practice's identity: fictional, like everything in the demo. 555-01xx numbers are
    # set aside for fiction in North America, and the address is an example one.
    "practice_name": PRACTICE,
    "phone": "(505) 555-0142",
    "email": "appointments@example.org",
    "street_address": "123 Example Street, Suite 200",
    "address_locality": "Anytown",
    "address_region": "ST",
    "postal_code": "00000",
    "address_country": "US",
    "opening_hours": "Mo-Fr 08:00-17:00\nSa 09:00-12:00",
    "cta_url": "/contact/",
    "disclaimer_page": "medical-disclaimer",
    "privacy_page": "privacy",
}
# The logo files in images/ (drawn by make_images.py), attached where none is set.
SITE_LOGOS = {"logo": "logo.png", "logo_on_dark": "logo-on-dark.png"}


# Patient education (education app): glossary words the demo articles use, and the "when to
# seek care" box the sciatica article places with [[seek-care:cauda-equina]].
GLOSSARY = {
    "vertebrae": ("vertebra", "the small bones that stack up to make your spine"),
    "sciatic nerve": ("", "the long nerve that runs from your lower back down each leg"),
    "epidural": ("", "around the covering of the nerves inside the spine"),
    "discectomy": (
        "discectomies",
        "an operation to remove the part of a disc that presses on a nerve",
    ),
}
CALLOUTS = {
    "cauda-equina": (
        "Signs of cauda equina syndrome",
        "Get urgent medical help, the same day, if back or leg pain comes with any of these:\n\n"
        "- Numbness in the groin, the inner thighs or around the back passage\n"
        "- New difficulty passing urine, or loss of control of your bladder or bowels\n"
        "- Weakness in the legs that is getting worse, or a foot that drags or slaps as you walk\n"
        "- Fever, unexplained weight loss, or a history of cancer\n\n"
        "These can be signs of severe pressure on the nerves, which needs treatment within hours "
        "rather than weeks. Call us, or go to an emergency department if we are closed.\n",
    ),
}
