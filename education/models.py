import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models.functions import Lower
from markdownx.models import MarkdownxField

from markup.render import markdown_to_html, validate_markdown

from .references import normalise_doi, validate_doi, validate_pmid


class GlossaryTerm(models.Model):
    """A word patients may not know, with what it means in plain language. The editor flags it
    as staff write; an article can explain it to readers where it first appears."""

    term = models.CharField(max_length=100, help_text="As it is usually written, e.g. stenosis.")
    other_forms = models.CharField(
        max_length=300,
        blank=True,
        help_text="Plurals and other forms, comma-separated, e.g. stenoses, stenotic.",
    )
    explanation = models.CharField(
        "plain-language explanation",
        max_length=300,
        help_text="One short sentence a patient understands, e.g. “a narrowing of the space "
        "around the nerves”.",
    )
    explain_to_readers = models.BooleanField(
        default=True,
        help_text="Explain this word to readers where it first appears in an article.",
    )

    class Meta:
        ordering = ["term"]
        constraints = [models.UniqueConstraint(Lower("term"), name="one_glossary_entry_per_term")]

    def __str__(self):
        return self.term

    @property
    def forms(self):
        extra = [form.strip() for form in self.other_forms.split(",")]
        return [self.term.strip(), *(form for form in extra if form)]

    @property
    def anchor(self):
        """The id of its definition on an article's page."""
        return "define-" + (re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-") or "term")


CALLOUT_MARKER = "[[seek-care:{slug}]]"


class CareCallout(models.Model):
    """A "when to seek care" block written once (the red flags of cauda equina syndrome, say)
    and placed in any article with a line of its own: [[seek-care:<slug>]]."""

    title = models.CharField(
        max_length=150, help_text="e.g. “Get help now: signs of cauda equina syndrome”."
    )
    slug = models.SlugField(
        max_length=60,
        unique=True,
        help_text="Put [[seek-care:<slug>]] on a line of its own in an article to show the block.",
    )
    body = MarkdownxField(
        help_text="Markdown: usually a short list of symptoms and what to do.",
        validators=[validate_markdown],
    )
    body_html = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["title"]
        verbose_name = "when-to-seek-care callout"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = markdown_to_html(self.body, permalinks=False)
        super().save(*args, **kwargs)

    @property
    def marker(self):
        return CALLOUT_MARKER.format(slug=self.slug)


class Reference(models.Model):
    """A source an article cites: [n] in its text links to reference number n."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="references"
    )
    number = models.PositiveSmallIntegerField(
        "reference number", help_text="[1] in the text links to reference 1."
    )
    # Labels that say "source": the article form has its own Title and Author fields.
    title = models.CharField("title of the source", max_length=500)
    authors = models.CharField(
        "written by", max_length=500, blank=True, help_text="e.g. Lee A, Ortiz B, et al."
    )
    publisher = models.CharField("journal or publisher", max_length=300, blank=True)
    year = models.PositiveSmallIntegerField("year published", null=True, blank=True)
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[validate_doi],
        help_text="e.g. 10.1000/xyz123 (a doi.org address is accepted too).",
    )
    pmid = models.CharField(
        "PubMed id", max_length=12, blank=True, validators=[validate_pmid], help_text="Digits only."
    )
    url = models.URLField(
        "web address of the source",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="one_reference_per_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="reference_number_ge_1"),
        ]

    def __str__(self):
        return f"[{self.number}] {self.title}"

    # What an article keeps of its references (Article.cited), and makes them again from.
    SHOWN = ("number", "title", "authors", "publisher", "year", "doi", "pmid", "url")

    def as_row(self):
        return {name: getattr(self, name) for name in self.SHOWN}

    def clean(self):
        self.doi = normalise_doi(self.doi)
        self.pmid = self.pmid.strip()
        if self.year is not None and not 1500 <= self.year <= 2200:
            raise ValidationError({"year": "Give the year of publication, e.g. 2021."})

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""
