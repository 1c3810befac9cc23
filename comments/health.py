"""The health-detail guard: does a comment look as if it carries someone's health or contact
details? The one detector: the comment form's server-side confirmation step, the script's
check (`/comments/check/`, which calls this), the moderation policy and staff replies all ask
`scan()`.

Comments are public, and a practice that confirms a reader's care in public discloses it (HHS
OCR has settled such cases). So the form warns, names what it found, and lets the writer edit
or post anyway; what is posted anyway waits for staff.

Each rule looks for a detail *in context* (a date next to a word like "surgery" or "born", a
medication next to "I take" or a dose), because a warning on every comment that says "MRI" or
"ibuprofen" would soon be ignored: false positives must be rare. The examples it is measured on
are in `tests/comments/health_corpus.py`; `tests/comments/test_health_guard.py` counts
the false positives and negatives on them and prints the counts.
"""

import re
from dataclasses import dataclass

import phonenumbers
from django.conf import settings


@dataclass(frozen=True)
class Finding:
    kind: str  # phone, email, birth, date, record, medication, procedure, care, quote
    label: str  # what it is, in words for the writer: "a phone number"
    text: str  # what was found, as written

    def as_json(self):
        return {"kind": self.kind, "label": self.label, "text": self.text}


MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
WEEKDAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
# Dates precise to the day; a year or a month alone identifies nobody.
DATE = re.compile(
    rf"\b(?:{MONTHS}\s+{DAY}(?:,?\s+(?:19|20)\d\d)?"
    rf"|{DAY}\s+(?:of\s+)?{MONTHS}(?:,?\s+(?:19|20)\d\d)?"
    r"|(?:19|20)\d\d-[01]?\d-[0-3]?\d"
    r"|[0-3]?\d[/.][0-3]?\d[/.](?:19|20)?\d\d"
    r"|[01]?\d/[0-3]?\d)\b(?![/.]\d)",
    re.IGNORECASE,
)
CARE_WORDS = (
    r"surger(?:y|ies)|operation|operated|procedure|fusion|discectomy|microdiscectomy|"
    r"laminectomy|laminotomy|foraminotomy|kyphoplasty|vertebroplasty|disc replacement|"
    r"injections?|epidural|nerve block|ablation|appointment|consult(?:ation)?|mri|ct scan|"
    r"scan|x-?rays?|admitted|discharged|hospital|post-?op|pre-?op|follow-?up visit|"
    r"physical therapy|pt session|booked|scheduled|op"
)
BIRTH = re.compile(r"\b(?:born|birthday|date of birth|d\.?o\.?b\.?|birth date)\b", re.I)
CARE = re.compile(rf"\b(?:{CARE_WORDS})\b", re.IGNORECASE)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# What libphonenumber cannot place: a local number without its area code (555-0142), another
# country's number written without its code (0161 496 0123).
LOCAL_PHONE = re.compile(r"(?<![\w-])\d{3}[-.]\d{4}(?![\w-])")
PHONE_LIKE = re.compile(r"(?<![\w.,-])\+?\(?\d[\d().-]*(?:\s[\d().-]+){1,4}(?![\w-])")
_ID = r"[:#]?\s*(?:is\s*)?[:#]?\s*(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,}\b"
RECORD = re.compile(
    rf"\bmrn\s*{_ID}|\b(?:medical record|record|patient|chart|account|member|insurance|policy|"
    rf"case|claim|hospital)\s*(?:number|no\.?|num|id|#)\s*{_ID}",
    re.IGNORECASE,
)
SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")
PROCEDURE = re.compile(
    rf"\bmy\s+(?:\w+\s+){{0,2}}?(?:{CARE_WORDS})\s+(?:is\s+|was\s+|will\s+be\s+|has\s+been\s+)?"
    rf"(?:(?:on|for|set\s+for|booked\s+for|scheduled\s+for|planned\s+for)\s+"
    rf"(?:this\s+|next\s+|the\s+)?(?:{WEEKDAYS}|{MONTHS}|\d)"
    rf"|(?:this|next)\s+(?:{WEEKDAYS}|week|month)|tomorrow|today)",
    re.IGNORECASE,
)

# Medications a spine practice's readers mention most: generic and brand names. A name counts
# only beside a dose or a sentence about taking it ("I'm on", "prescribed me"): a question about
# a drug is not a detail about anyone.
MEDICATIONS = [
    "gabapentin", "neurontin", "pregabalin", "lyrica", "oxycodone", "oxycontin", "percocet",
    "hydrocodone", "vicodin", "norco", "tramadol", "ultram", "codeine", "morphine", "fentanyl",
    "hydromorphone", "dilaudid", "tapentadol", "nucynta", "buprenorphine", "suboxone",
    "methadone", "cyclobenzaprine", "flexeril", "methocarbamol", "robaxin", "tizanidine",
    "zanaflex", "baclofen", "carisoprodol", "soma", "diazepam", "valium", "meloxicam", "mobic",
    "celecoxib", "celebrex", "naproxen", "aleve", "ibuprofen", "advil", "motrin", "diclofenac",
    "voltaren", "ketorolac", "toradol", "acetaminophen", "paracetamol", "tylenol",
    "prednisone", "prednisolone", "methylprednisolone", "medrol", "dexamethasone",
    "duloxetine", "cymbalta", "amitriptyline", "nortriptyline", "lidocaine", "warfarin",
    "coumadin", "apixaban", "eliquis", "rivaroxaban", "xarelto", "clopidogrel", "plavix",
    "aspirin", "metformin", "insulin", "sertraline", "zoloft", "fluoxetine", "prozac",
    "escitalopram", "lexapro", "alprazolam", "xanax", "lorazepam", "ativan", "zolpidem",
    "ambien",
]  # fmt: skip
MEDICATION = re.compile(r"\b(" + "|".join(MEDICATIONS) + r")\b", re.IGNORECASE)
DOSE = re.compile(r"\b\d+(?:\.\d+)?\s?(?:mg|mcg|µg|ml|milligrams?)\b", re.IGNORECASE)
TAKING = re.compile(
    r"\b(?:i|i'm|i’m|im|i've|i’ve|we|he|she|they|mom|dad)\s+(?:\w+\s+){0,3}?"
    r"(?:on|taking|take|takes|took|prescribed|started|starting|given|using|stopped|tried|"
    r"switched|weaning|tapering)\b"
    r"|\bprescribed\s+(?:me|him|her|us)\b|\bmy\s+(?:dose|prescription|meds|medication|pills)\b",
    re.IGNORECASE,
)

# Staff replies: words that confirm or suggest the commenter is the practice's patient.
CONFIRMS_CARE = re.compile(
    r"\b(?:we|i|dr\.?\s+\w+)\s+(?:saw|treated|examined|operated\s+on|met\s+with|scanned)\s+you\b"
    r"|\byour\s+(?:last|recent|next|upcoming|follow-?up|post-?op|pre-?op|first)\s+"
    r"(?:visit|appointment|check-?up|consult(?:ation)?|scan|mri|surgery|procedure|injection)\b"
    r"|\b(?:when|since|after|before)\s+you\s+(?:came\s+in|were\s+(?:here|in|seen)|"
    r"visited\s+(?:us|the\s+(?:office|clinic|practice))|saw\s+(?:us|dr))\b"
    r"|\byour\s+(?:chart|file|records?)\b|\bour\s+records\b"
    r"|\b(?:as|you\s+are|you're|you’re)\s+(?:our|a)\s+patient\b|\bpatients?\s+of\s+ours\b"
    r"|\byour\s+(?:surgery|procedure|operation|fusion|injection|appointment|visit)\s+"
    r"(?:with\s+us|here|at\s+our|went|yesterday|today|last|on)\b"
    r"|\b(?:we|i|dr\.?\s+\w+)(?:'ll|’ll|\s+will)\s+(?:call|phone|ring|contact)\s+you\b"
    r"|\b(?:good|great|nice)\s+(?:to\s+see|seeing)\s+you\b",
    re.IGNORECASE,
)
QUOTE_WORDS = 7  # this many words in a row from the comment replied to is a quotation


def _sentences(text):
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _practice_contacts():
    """The practice's own phone and email, which readers may repeat without saying anything
    about themselves."""
    from articles.models import SiteSettings

    site = SiteSettings.load()
    phone = _e164(site.phone) if site.phone else ""
    return phone, (site.email or "").strip().lower()


def _e164(number):
    try:
        parsed = phonenumbers.parse(number, settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _phones(text, own_phone):
    found, rest = [], text
    for match in phonenumbers.PhoneNumberMatcher(
        text, settings.PHONE_REGION, leniency=phonenumbers.Leniency.VALID
    ):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if e164 != own_phone:
            found.append(match.raw_string)
        rest = rest[: match.start] + " " * (match.end - match.start) + rest[match.end :]
    # What libphonenumber read as a whole number (the practice's too) is not read again.
    found += [m.group(0) for m in LOCAL_PHONE.finditer(rest)]
    for match in PHONE_LIKE.finditer(rest):
        if 9 <= sum(c.isdigit() for c in match.group(0)) <= 13 and match.group(0) not in found:
            found.append(match.group(0))
    return found


def _words(text):
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def _quotes(text, original):
    """The longest run (of QUOTE_WORDS words at least) of `original` repeated in `text`, or ''."""
    mine, theirs = _words(text), _words(original)
    starts = {}
    for j in range(len(theirs) - QUOTE_WORDS + 1):
        starts.setdefault(tuple(theirs[j : j + QUOTE_WORDS]), []).append(j)
    best, i = [], 0
    while i <= len(mine) - QUOTE_WORDS:
        longest = 0
        for j in starts.get(tuple(mine[i : i + QUOTE_WORDS]), ())[:3]:
            n = QUOTE_WORDS
            while i + n < len(mine) and j + n < len(theirs) and mine[i + n] == theirs[j + n]:
                n += 1
            longest = max(longest, n)
        if longest > len(best):
            best = mine[i : i + longest]
        i += longest or 1  # words already in a run are not searched again: linear time
    return " ".join(best)


def scan(text, *, staff=False, replying_to=""):
    """What in `text` looks like personal health or contact details, in order of kind.

    `staff`: the writer speaks for the practice, so words confirming someone's care count too,
    and so does quoting `replying_to` (the text of the comment answered).
    """
    text = text or ""
    own_phone, own_email = _practice_contacts()
    findings = []

    def add(kind, label, found):
        found = found.strip(" ,.;:")
        if not any(f.kind == kind and f.text.lower() == found.lower() for f in findings):
            findings.append(Finding(kind, label, found))

    for number in _phones(text, own_phone):
        add("phone", "a phone number", number)
    for match in EMAIL.finditer(text):
        if match.group(0).lower() != own_email:
            add("email", "an email address", match.group(0))
    for match in SSN.finditer(text):
        add("record", "an ID or record number", match.group(0))
    for match in RECORD.finditer(text):
        add("record", "an ID or record number", match.group(0))
    for sentence in _sentences(text):
        dates = [m.group(0) for m in DATE.finditer(sentence)]
        if dates and BIRTH.search(sentence):
            for date in dates:
                add("birth", "a date of birth", date)
        elif dates and CARE.search(sentence):
            for date in dates:
                add("date", "the date of a procedure or appointment", date)
        medications = [m.group(0) for m in MEDICATION.finditer(sentence)]
        if medications and (DOSE.search(sentence) or TAKING.search(sentence)):
            for name in medications:
                add("medication", "a medication someone takes", name)
    # "My fusion was on 12 January" is one detail, already named as a date.
    if not any(f.kind in ("date", "birth") for f in findings):
        for match in PROCEDURE.finditer(text):
            add("procedure", "when someone’s treatment takes place", match.group(0))
    if staff:
        for match in CONFIRMS_CARE.finditer(text):
            add("care", "words that confirm someone’s care at the practice", match.group(0))
        quoted = _quotes(text, replying_to) if replying_to else ""
        if quoted:
            add("quote", "a quotation of the comment you are answering", quoted)
    return findings


def describe(findings, limit=200):
    """One line for staff and mail: what a held comment was held for."""
    kinds = []
    for finding in findings:
        if finding.label not in kinds:
            kinds.append(finding.label)
    line = "may contain personal health details: " + ", ".join(kinds)
    return line if len(line) <= limit else line[: limit - 1] + "…"
