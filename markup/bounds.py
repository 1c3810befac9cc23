"""Bounds on what the Markdown renderer is given, so one text cannot take a worker.

Python-Markdown is pure Python and some shapes of input make it quadratic or recursive (measured
on this project's machine, issue 11 finding 4):

- unclosed brackets: for every `[` it scans ahead for the matching `]` (and after `](`, for the
  matching `)`), so `"!["*10000` scans 10,000 times to the end: 30 s to 90 s;
- tags that never close: the raw-HTML pass (html.parser) scans from every `<a` to the next `>`,
  so `"<a "*3000` takes 5 s;
- nested containers: every `- ` or `> ` at the start of a line opens a list or quote inside the
  last, parsed by recursion: `"- "*5000 + "x"` raises RecursionError;
- abbreviations: each `*[ABBR]: …` definition becomes its own pattern run over all the text;
- fenced code blocks: each one found restarts the search from the top, so `"~~~\n"*20000`
  takes over 10 s (found by tests/test_input.py's fuzz test).

`check_shape` measures those in one linear pass and refuses the text before rendering, with a
message staff can act on. Real writing stays far below the limits (a list nested 32 deep is not
an article). `time_limit` is the backstop for whatever shape this list misses: a hard bound on
the render's wall time, by SIGALRM, where a signal can be delivered (the main thread: gunicorn's
sync workers, the task worker, management commands).
"""

import re
import signal
import threading
from contextlib import contextmanager

MAX_NESTING = 32
MAX_ABBREVIATIONS = 100
MAX_CODE_BLOCKS = 200

# Python-Markdown's fenced code (extra): a fence at the very start of a line, closed by the same
# fence alone on its line. A block never closed is not code to it: its lines are checked too.
_FENCE = re.compile(r"^(`{3,}|~{3,})")
# One container opener at the start of what is left of a line: a quote, or a list marker.
_OPENER = re.compile(r"[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))")
_INDENT = re.compile(r"[ \t]*")
_ABBREVIATION = re.compile(r"^ {0,3}\*\[[^\]]*\]:", re.MULTILINE)
# `<` that html.parser may read as the start of a tag, comment or declaration.
_TAG_START = re.compile(r"<[A-Za-z/!?]")
# A blank line ends a block: brackets never match across one (tags may: see _check_brackets).
_BRACKETS = re.compile(r"\\.|\n[ \t]*\n|[\[\]()<>]", re.DOTALL)


class RenderRefused(ValueError):
    """Text the renderer will not take; the message says why, in staff's words."""


class RenderTimeout(BaseException):
    # A BaseException, so no `except Exception` inside the renderer can swallow it.
    pass


def too_deep(what, depth=None):
    how = f"{depth:,} levels deep" if depth else "nested too deep"
    return RenderRefused(
        f"This text is too deeply nested to render: {what} {how} (at most {MAX_NESTING}). "
        "Close the brackets or flatten the lists and quotes, then try again."
    )


def too_slow(seconds):
    return RenderRefused(
        f"This text took too long to render (more than {seconds:g} seconds). It may hold many "
        "unclosed brackets or tags; close them or split the text, then try again."
    )


def check_shape(source):
    """Raise RenderRefused if `source` has a shape the renderer cannot handle in bounded time."""
    if len(_ABBREVIATION.findall(source)) > MAX_ABBREVIATIONS:
        raise RenderRefused(
            f"This text defines more than {MAX_ABBREVIATIONS} abbreviations (*[…]: lines), "
            "which is too many to render."
        )
    prose = []
    fence, fenced = None, []
    fences = 0
    for line in source.splitlines():
        if fence:
            # Code is not parsed for brackets or containers: skip to the closing fence.
            if line.rstrip(" ") == fence:
                fence, fenced = None, []
            else:
                fenced.append(line)
            continue
        match = _FENCE.match(line)
        if match:
            fence = match.group(1)
            fences += 1
            if fences > MAX_CODE_BLOCKS:
                raise RenderRefused(
                    f"This text has more than {MAX_CODE_BLOCKS} code blocks (``` or ~~~ fences), "
                    "which is too many to render."
                )
            continue
        prose.append(line)
    prose += fenced  # a fence never closed: Python-Markdown reads what follows it as text
    for line in prose:
        _check_line(line)
    _check_brackets("\n".join(prose))


def _check_line(line):
    openers = 0
    position = 0
    while match := _OPENER.match(line, position):
        openers += 1
        position = match.end()
    if openers:
        # Indentation nests a marker inside the list above it: four columns a level.
        indent = _INDENT.match(line).group().expandtabs(4)
        depth = openers + len(indent) // 4
        if depth > MAX_NESTING:
            raise too_deep("lists or quotes", depth)


def _check_brackets(text):
    # Brackets are matched within a block; html.parser reads the whole text at once, so an
    # unclosed tag counts until the next `>` anywhere.
    square = round_ = tags = 0
    deepest = {"square": 0, "round": 0, "tag": 0}
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token[0] == "\\":
            continue  # an escaped character opens nothing
        if token[0] == "\n":
            square = round_ = 0
            continue
        if token == "[":
            square += 1
            deepest["square"] = max(deepest["square"], square)
        elif token == "]":
            square = max(square - 1, 0)
        elif token == "(":
            round_ += 1
            deepest["round"] = max(deepest["round"], round_)
        elif token == ")":
            round_ = max(round_ - 1, 0)
        elif token == ">":
            tags = 0
        elif _TAG_START.match(text, match.start()):
            tags += 1
            deepest["tag"] = max(deepest["tag"], tags)
    for name, what in (
        ("square", "unclosed [ brackets"),
        ("round", "unclosed ( brackets"),
        ("tag", "unclosed < tags"),
    ):
        if deepest[name] > MAX_NESTING:
            raise too_deep(what, deepest[name])


@contextmanager
def time_limit(seconds):
    """Raise RenderRefused if the block runs longer than `seconds` (main thread only)."""
    if (
        not seconds
        or threading.current_thread() is not threading.main_thread()
        or signal.getitimer(signal.ITIMER_REAL)[0]  # someone else's timer is running: leave it
    ):
        yield
        return

    def expired(signum, frame):
        raise RenderTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except RenderTimeout:
        raise too_slow(seconds) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
