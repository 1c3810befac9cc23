"""Texts of known difficulty, our own writing, with their counts made by hand (a dictionary's
syllables), from which the published formulas give the grades:

    Flesch-Kincaid grade = 0.39 × words/sentences + 11.8 × syllables/words − 15.59
    SMOG = 1.0430 × √(polysyllables × 30 / sentences) + 3.1291
"""

import math

EASY = """Your back has small bones called vertebrae. Soft pads sit between them. These pads help your back bend.

Sometimes a pad bulges out. It can press on a nerve. Then your leg may hurt or feel numb.

Most people get better in a few weeks. Walk a little each day. Ask us if the pain gets worse."""  # noqa: E501

MIDDLE = """Sciatica is pain that travels along the sciatic nerve, from the lower back through the hip and down one leg. It usually happens when a disc in the lower spine presses on a nerve root.

Most people improve within six weeks with gentle activity, pain relief and physical therapy. Resting in bed for long periods tends to slow recovery rather than speed it up.

If the pain is severe, or if you notice weakness in your foot, your doctor may suggest an injection or, less often, an operation to relieve the pressure on the nerve."""  # noqa: E501

HARD = """Lumbar spinal stenosis is a degenerative narrowing of the central canal that characteristically produces neurogenic claudication. Patients describe bilateral thigh discomfort precipitated by walking and relieved by lumbar flexion.

Conservative management includes physiotherapy, anti-inflammatory medication and epidural corticosteroid injections, with variable efficacy. Decompressive laminectomy is considered when symptoms remain functionally incapacitating despite comprehensive nonoperative treatment.

Magnetic resonance imaging should be correlated with the clinical presentation, because asymptomatic degenerative abnormalities are exceedingly prevalent in older populations."""  # noqa: E501

# (words, sentences, syllables, words of three or more syllables), counted by hand.
HAND_COUNTS = {
    "easy": (57, 9, 65, 1),
    "middle": (95, 5, 141, 10),
    "hard": (76, 5, 215, 39),
}
TEXTS = {"easy": EASY, "middle": MIDDLE, "hard": HARD}


def published_grade(words, sentences, syllables, _polysyllables):
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


def published_smog(_words, sentences, _syllables, polysyllables):
    return 1.0430 * math.sqrt(polysyllables * 30 / sentences) + 3.1291
