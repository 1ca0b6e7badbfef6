"""Turn a justified Latin line that would be too loose into a tight one that takes the next word.

WeasyPrint breaks lines greedily: a line ends before the first word that does not fit, and
justification then spreads the slack over its word spaces (publish/render/latinjustify.py). When
that word is long and may not be hyphenated (a capitalised name, an acronym, a word at the
hyphen-ladder limit), the line gets word spaces over half an em. A paragraph-wide line breaker
(Knuth–Plass, InDesign's paragraph composer) would also consider the other way: set the line a
little tighter so that the word fits. Here, while a line is made (`split_inline_box`, which
`get_next_linebox` calls by its module-global name), a line that latinjustify would leave too
loose is made again with the room its word spaces (down to 80 % of their width) and glyph gaps
(-0.02 em) can give up; when it then takes more text and fits within that room, it is kept and
marked `pulled` (cjkjustify's `text_align` then tightens it to the measure), else the line is made
as before (and publish/render/loosebreaks.py may start it a word earlier in the next layout).
Only the lines of justified blocks in a language that is not Chinese or Japanese; no extra layout.
"""
from __future__ import annotations

from collections import deque

from . import latinjustify

PULLED: deque = deque(maxlen=1000)  # (first word, last word) of the latest lines that took a word by tightening
# (bounded: `publish serve` lays books out again and again in one process)


def resplitter(original, context, box, position_x, args):
    """split(limit): WeasyPrint's line splitting (`original`) of `box` again up to `limit`, the lists
    it appends to (absolute, fixed, placeholders, floats, children) cut back to where they were first."""
    lists = [a for a in args[1:] if isinstance(a, list)]
    marks = [len(a) for a in lists]

    def split(limit):
        for a, n in zip(lists, marks):
            del a[n:]
        return original(context, box, position_x, limit, *args)

    return split


def install() -> None:
    """Wrap WeasyPrint's line splitting; idempotent (cjkjustify.install checks the version)."""
    from weasyprint.layout import inline

    if getattr(inline.split_inline_box, "pullup", False):
        return
    original = inline.split_inline_box

    def split_inline_box(context, box, position_x, max_x, *args):
        from weasyprint.formatting_structure import boxes

        if not (isinstance(box, boxes.LineBox) and _justified_latin(box.style)):
            return original(context, box, position_x, max_x, *args)
        split = resplitter(original, context, box, position_x, args)

        def loose(result) -> bool:  # whether the line made is one that justification leaves too loose
            line, resume, preserved = result[:3]
            if resume is None or preserved:
                return False
            inline.remove_last_whitespace(context, line)
            return latinjustify.too_loose(line, max_x - line.position_x - line.width, list(_leaves(line)))

        def next_loose(resume) -> bool:  # the same for the line after, made from `resume` (a trial)
            skip = inline.skip_first_whitespace(box, resume)
            if skip == "continue":
                return False
            return loose(original(context, box, box.position_x, max_x, args[0], skip, args[2],
                                  [], [], [], [], [], None, None))

        result = split(max_x)
        if not loose(result) or any(c.is_floated() for c in box.descendants() if c is not box):
            return result
        line = result[0]
        room = latinjustify.shrink_room(line, list(_leaves(line)))
        if room <= 0:
            return result
        chars, resume_at = len(_text(line)), result[1]
        trial = split(max_x + room)
        pulled = trial[0]
        if trial[1] is not None and not trial[2]:
            inline.remove_last_whitespace(context, pulled)
            need = pulled.position_x + pulled.width - max_x
            if (len(_text(pulled)) > chars and 0 < need <= latinjustify.shrink_room(pulled, list(_leaves(pulled)))
                    and not (next_loose(trial[1]) and not next_loose(resume_at))):
                trial = split(max_x + room)  # made again: the trials of the next line moved its boxes
                inline.remove_last_whitespace(context, trial[0])
                trial[0].pulled = True
                text = _text(trial[0]).split()
                PULLED.append((text[0], text[-1]) if text else ("", ""))
                return trial
        result = split(max_x)
        inline.remove_last_whitespace(context, result[0])
        return result

    split_inline_box.__dict__.update(vars(original))  # the other wrappers' marks: each installs once
    split_inline_box.pullup = True
    inline.split_inline_box = split_inline_box


def _justified_latin(style) -> bool:
    from .cjkjustify import LANGUAGES

    return (style["text_align_all"] == "justify" and style["direction"] == "ltr"
            and style["white_space"] in ("normal", "pre-line")
            and (style["lang"] or "").split("-")[0].lower() not in LANGUAGES)


def _leaves(line):
    from .cjkjustify import _leaves

    return _leaves(line)


def _text(line) -> str:
    from weasyprint.formatting_structure import boxes

    return "".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox))
