"""Readability grades (education.readability) for texts of known difficulty: within one grade
of the published formulas applied to hand counts, and of textstat's (pinned in
requirements-dev.txt; its syllables come from hyphenation, so it counts a few words short)."""

import pytest
import textstat

from education.readability import measure_html, measure_text, syllables
from markup.render import markdown_to_html
from tests.education.texts import HAND_COUNTS, TEXTS, published_grade, published_smog


@pytest.mark.parametrize("name", list(TEXTS))
def test_grades_match_the_published_formulas_on_hand_counted_texts(name):
    measured = measure_text(TEXTS[name])
    counts = HAND_COUNTS[name]
    assert abs(measured.grade - published_grade(*counts)) <= 1
    assert abs(measured.smog - published_smog(*counts)) <= 1


@pytest.mark.parametrize("name", ["easy", "middle"])
def test_grades_of_patient_level_texts_are_within_a_grade_of_textstat(name):
    measured = measure_text(TEXTS[name])
    assert abs(measured.grade - textstat.flesch_kincaid_grade(TEXTS[name])) <= 1 + 1e-9
    assert abs(measured.smog - textstat.smog_index(TEXTS[name])) <= 1 + 1e-9


def test_the_three_texts_rank_as_their_readers_would():
    easy, middle, hard = (measure_text(TEXTS[name]).grade for name in ("easy", "middle", "hard"))
    assert easy < 6 < middle < 12 < hard


@pytest.mark.parametrize(
    "word, count",
    [("spine", 1), ("nerves", 1), ("walked", 1), ("treated", 2), ("presses", 2),
     ("ankle", 2), ("people", 2), ("sometimes", 2), ("patient", 2), ("experience", 4),
     ("laminectomy", 5), ("epidural", 4), ("vertebrae", 3), ("management", 3)],
)  # fmt: skip
def test_syllables_by_rule(word, count):
    assert syllables(word) == count


def test_headings_and_list_items_are_sentences_of_their_own_and_code_is_left_out():
    html = markdown_to_html(
        "## What helps\n\n- Walk every day\n- Sleep on your side\n\n"
        "```\nsome code that is not prose at all and would be one very long sentence\n```\n"
    )
    measured = measure_html(html)
    assert measured.sentences == 3
    assert measured.words == 2 + 3 + 4


def test_the_longest_sentences_come_first():
    measured = measure_text(TEXTS["middle"], longest=2)
    assert [words for words, _ in measured.longest] == [31, 20]
    assert measured.longest[0][1].startswith("If the pain is severe")
