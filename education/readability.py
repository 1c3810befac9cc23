"""How hard a text is to read: the Flesch-Kincaid grade and the SMOG index, counted here.

Both formulas are published and simple; what varies between tools is how they count sentences
and syllables. We count sentences per block of the rendered article (a heading or a list item
is a sentence of its own even without a full stop, so a bulleted list does not read as one
endless sentence) and syllables by the usual vowel-group rules with English's common exceptions.
tests/education/test_readability.py checks the grades against textstat's and against counts made
by hand. Patient materials should read at about grade 6 to 8 (AMA, NIH).

    Flesch-Kincaid grade = 0.39 × words/sentences + 11.8 × syllables/words − 15.59
    SMOG = 1.0430 × √(words of 3+ syllables × 30 / sentences) + 3.1291
"""

import functools
import math
import re
from dataclasses import dataclass, field
from html import unescape

# Blocks that end a sentence whether or not their text does.
_BLOCK = re.compile(
    r"</?(?:p|li|h[1-6]|td|th|dt|dd|blockquote|figcaption|div|aside|section|tr|br)\b[^>]*>", re.I
)
_SKIP = re.compile(r"<(pre|code|table)\b.*?</\1>", re.I | re.S)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_TAG = re.compile(r"<[^>]+>")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:['’][A-Za-z]+)*|\d+(?:[.,]\d+)*")

# Plain-language guides (CDC, NIH) ask for sentences of about 15 to 20 words at most.
LONG_SENTENCE_WORDS = 20


def text_blocks(html):
    """The prose of rendered HTML as a list of blocks (code, tables and "#" links left out)."""
    html = _HEADERLINK.sub("", _SKIP.sub(" ", html or ""))
    blocks = []
    for part in _BLOCK.split(html):
        text = " ".join(unescape(_TAG.sub(" ", part)).split())
        if _WORD.search(text):
            blocks.append(text)
    return blocks


def sentences_of(blocks):
    found = []
    for block in blocks:
        found.extend(s.strip() for s in _SENTENCE_END.split(block) if _WORD.search(s))
    return found


def words_of(text):
    return _WORD.findall(text)


# A final -e, -es or -ed that adds no syllable ("spine", "bones", "walked"; not "presses",
# "treated").
_SILENT_ENDINGS = re.compile(r"(?:(?<![aeiouylszxcg])es|(?<![aeiouytd])ed|(?<![aeiouyl])e)$")
# Vowel pairs read as two syllables ("media", "radial", "experience", "being").
_EXTRA = re.compile(r"(?:ia|io(?!n)|ua|eo(?!p)|iu|ii|[^ctf]ien[ct]|[aeiouy]ing|ism$)")
# Letter groups read as fewer syllables than their vowels suggest ("special", "precious",
# "management", "sometimes").
_FEWER = re.compile(
    r"(?:cial|tia|cius|cious|giu|sia$|ely$|(?<=[gcvrtsu])ement|"
    r"^(?:some|time|home|life|care|where|there|side|like)(?=[^aeiouy][a-z]))"
)


@functools.lru_cache(maxsize=4096)  # the same words, over and over (an import: thousands)
def syllables(word):
    """Syllables of an English word by rule (good to about one in ten words; grades average
    it out). Numbers count as one a digit group, as they are usually read briefly."""
    word = word.lower().replace("’", "'").split("'")[0]
    if not word.isalpha():
        return 1
    if len(word) <= 3:
        return 1
    stem = _SILENT_ENDINGS.sub("", word) if not word.endswith("le") or len(word) < 4 else word
    if word.endswith("le") and len(word) > 2 and word[-3] not in "aeiouy":
        stem = word[:-2] + "ul"  # "table", "ankle": the final -le is a syllable
    count = len(re.findall(r"[aeiouy]+", stem))
    count += len(_EXTRA.findall(word)) - len(_FEWER.findall(word))
    return max(1, count)


@dataclass
class Readability:
    words: int = 0
    sentences: int = 0
    syllables: int = 0
    polysyllables: int = 0
    longest: list = field(default_factory=list)  # [(words, sentence)], longest first

    @property
    def grade(self):
        """Flesch-Kincaid grade level, one decimal; None for a text without words."""
        if not self.words:
            return None
        value = 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59
        return round(value, 1)

    @property
    def smog(self):
        """SMOG index, one decimal; None under three sentences (the formula needs a sample)."""
        if self.sentences < 3:
            return None
        return round(1.0430 * math.sqrt(self.polysyllables * 30 / self.sentences) + 3.1291, 1)


def measure_blocks(blocks, longest=3):
    result = Readability()
    lengths = []
    for sentence in sentences_of(blocks):
        words = words_of(sentence)
        counts = [syllables(word) for word in words]
        result.sentences += 1
        result.words += len(words)
        result.syllables += sum(counts)
        result.polysyllables += sum(1 for count in counts if count >= 3)
        lengths.append((len(words), sentence))
    lengths.sort(key=lambda item: -item[0])
    result.longest = lengths[:longest]
    return result


def measure_html(html, longest=3):
    """Readability of an article's rendered body."""
    return measure_blocks(text_blocks(html), longest=longest)


def measure_text(text, longest=3):
    """Readability of plain text, a paragraph a blank line."""
    return measure_blocks([" ".join(p.split()) for p in re.split(r"\n\s*\n", text)], longest)
