"""Turn a loose justified line of Latin text's slack into wider word spaces and a little tracking.

WeasyPrint 70 justifies a line by widening its word spaces only (`inline.justify_line`), so a line
with few spaces or a long word pushed to the next line gets word spaces of 0.6 em and more. Like
InDesign's justification settings (word spacing desired/maximum, letter spacing maximum), a line's
slack here goes, in this order:

1. to its word spaces, up to SPACE_EM more than the natural space (which is what most lines need);
2. to every gap between two glyphs of a word (Pango letter spacing, up to TRACK_EM) and to its
   word spaces (until a space is drawn MAX_EM wide: natural + added + tracking, less MARGIN_EM for
   what the drawing adds after a superscript or before a one-letter last word) together, in
   proportion, so that a line a little looser than stage 1 is tracked a little;
3. what is left (a line of very few spaces, or a long word pushed on): such a line is marked
   `unfilled` so that the next layout starts it earlier
   (publish/render/loosebreaks.py); as set in this layout, its glyph gaps widen further, up to
   LAST_TRACK_EM (the letter-spacing maximum a designer allows a line no break can mend: the first
   line of a paragraph whose next word is a long name), and only then its word spaces past MAX_EM,
   as WeasyPrint does.

A line set wider than the measure because it took the next word (publish/render/pullup.py, which
asks `too_loose` and `shrink_room` while the line is made) is tightened instead: its word spaces
down to SHRINK of their natural width, then its glyph gaps by up to TIGHT_EM.

Every text box's width is measured from Pango itself (with no, and with one probe of, tracking),
so the line reaches the measure as laid out; the last text box is then fitted to the measure as
drawn (publish.render.cjkjustify.drawn_end). Called from cjkjustify's hook on `justify_line`, and
moved by cjkjustify's `_apply` and `_reach` with this module's tracked layouts.
"""
from __future__ import annotations

import re

SPACE_EM = 0.1  # stage 1: what a word space widens by before letters are tracked
TRACK_EM = 0.03  # stage 2: the most a glyph gap widens (3 % of the font size)
MAX_EM = 0.5  # stage 3: the widest a word space is drawn
MARGIN_EM = 0.04  # kept below MAX_EM: a superscript's or a one-letter last word's gap is drawn up to this much wider
LAST_TRACK_EM = 0.05  # stage 4: the most a glyph gap of a line no break could fill widens
SHRINK = 0.8  # a tightened line's word spaces: no narrower than this share of their natural width
TIGHT_EM = 0.02  # and its glyph gaps no more than this narrower
PROBE = 1022 / 1024
WORD = re.compile(r"[^ \u00a0\u200b\u00ad]*[^ \u00a0\u200b\u00ad\u2060]")  # a word, less a word joiner after it


def _layout_class():
    from weasyprint.text.ffi import TO_UNITS, ffi, pango
    from weasyprint.text.line_break import Layout

    class TrackedLayout(Layout):
        """A text box's Pango layout whose words carry `tracking` points of letter spacing (the last
        visible glyph `end_spacing`, if given, so that the line ends at the measure as drawn)."""
        tracking = 0
        end_spacing = None

        def set_text(self, text, justify=False):
            super().set_text(text, justify)
            if not (justify and (self.tracking or self.end_spacing)):
                return
            attrs = pango.pango_layout_get_attributes(self.layout)
            if attrs == ffi.NULL:
                attrs = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
            data = self.text.encode()
            ranges = [(len(self.text[:m.start()].encode()), len(self.text[:m.end()].encode()))
                      for m in WORD.finditer(self.text)]
            if self.end_spacing is not None and ranges:
                start, end = ranges.pop()
                last = len(data[:end].decode()[-1].encode())
                ranges.append((start, end - last))
                self._add(attrs, end - last, end, self.end_spacing)
            for start, end in ranges:
                self._add(attrs, start, end, self.tracking)
            pango.pango_layout_set_attributes(self.layout, attrs)

        @staticmethod
        def _add(attrs, start, end, spacing):
            if start < end:
                attr = pango.pango_attr_letter_spacing_new(int(spacing * TO_UNITS))
                attr.start_index, attr.end_index = start, end
                pango.pango_attr_list_change(attrs, attr)

    return TrackedLayout


_CLASS = []


def _width(box, space: float, tracking: float, end_spacing=None, text=None):
    """The layout of a text box drawn with that word spacing and tracking, and its laid-out width."""
    from weasyprint.text.line_break import line_size

    if not _CLASS:
        _CLASS.append(_layout_class())
    layout = _CLASS[0](box.style, space, None)
    layout.tracking, layout.end_spacing = tracking, end_spacing
    layout.set_text(box.text if text is None else text, justify=True)
    width, _ = line_size(layout.get_first_line()[0], box.style)
    return layout, width


def _plan(leaf) -> list:
    """[natural width, tracking share, spaces, width gained by tracking at all] of a text box, measured
    from Pango once for each text (a box's copies keep it)."""
    cached = getattr(leaf, "_latin_plan", None)
    if cached is not None and cached[0] == leaf.text and cached[1] is leaf.style:
        return cached[2]
    base = _width(leaf, 0, 0)[1]
    low, high = _width(leaf, 0, PROBE)[1], _width(leaf, 0, 2 * PROBE)[1]
    share = (high - low) / PROBE
    plan = [base, share, leaf.text.count(" ") + leaf.text.count("\u00a0"), low - base - share * PROBE]
    leaf._latin_plan = (leaf.text, leaf.style, plan)
    return plan


_SPACES: dict = {}


def _natural_space(box) -> float:
    """The width of a word space in the box's font, as Pango lays it out."""
    style = box.style
    key = (tuple(style["font_family"]), style["font_size"], style["font_weight"], style["font_style"])
    if key not in _SPACES:
        _SPACES[key] = _width(box, 0, 0, text="x x")[1] - _width(box, 0, 0, text="xx")[1]
    return _SPACES[key]


def _texts(leaves) -> list:
    from weasyprint.formatting_structure import boxes

    return [leaf for leaf in leaves if isinstance(leaf, boxes.TextBox)]


def _stretch(line, extra_width, texts):
    """(word space added, tracking, width left over at MAX_EM) for a line `extra_width` short of the
    measure, or None when its word spaces alone stay within SPACE_EM (WeasyPrint then sets it)."""
    spaces = sum(t.text.count(" ") + t.text.count("\u00a0") for t in texts)
    size = line.style["font_size"]
    if not texts or extra_width <= SPACE_EM * size * spaces:
        return None
    plans = [_plan(t) for t in texts]
    share, fixed = sum(p[1] for p in plans), sum(p[3] for p in plans)
    space = SPACE_EM * size
    left = extra_width - space * spaces - fixed  # what stages 2 and 3 share
    widest = max(0.0, MAX_EM * size - _natural_space(texts[0]) - TRACK_EM * size - MARGIN_EM * size - space)
    room = TRACK_EM * size * share + widest * spaces
    if left <= 0 or room <= 0:
        return None
    part = min(1.0, left / room)  # tracking and word spaces reach their maxima together
    tracking, space = part * TRACK_EM * size, space + part * widest
    return space, tracking, max(0.0, left - room)


def too_loose(line, extra_width, leaves) -> bool:
    """Whether justifying the line would leave a word space wider than MAX_EM (stage 4)."""
    found = _stretch(line, extra_width, _texts(leaves))
    return found is not None and found[2] > 0.05


def shrink_room(line, leaves) -> float:
    """How much narrower the line can be set: word spaces down to SHRINK of their natural width,
    glyph gaps by up to TIGHT_EM."""
    texts = _texts(leaves)
    if not texts:
        return 0.0
    plans = [_plan(t) for t in texts]
    spaces = sum(p[2] for p in plans)
    size = line.style["font_size"]
    return (1 - SHRINK) * _natural_space(texts[0]) * spaces + TIGHT_EM * size * sum(p[1] for p in plans)


def justify(context, line, extra_width, leaves) -> bool:
    """Justify a Latin line (its in-flow `leaves` in order) by word spaces and tracking; False (and
    nothing done) when its word spaces alone stay within SPACE_EM, as WeasyPrint then sets it.
    A line wider than the measure (`extra_width` < 0: a word pulled up, publish/render/pullup.py) is
    tightened: word spaces first, down to SHRINK of their width, then its glyph gaps."""
    from weasyprint.formatting_structure import boxes

    texts = _texts(leaves)
    if line.style["direction"] == "rtl" or not texts:
        return False
    if extra_width < 0:
        spaces = sum(_plan(t)[2] for t in texts)
        share = sum(_plan(t)[1] for t in texts)
        least = (1 - SHRINK) * _natural_space(texts[0])
        space = -min(least, -extra_width / spaces) if spaces else 0.0
        tracking = (extra_width - space * spaces) / share if share else 0.0
        tracking = max(tracking, -TIGHT_EM * line.style["font_size"])
    else:
        found = _stretch(line, extra_width, texts)
        if found is None:
            return False
        space, tracking, left = found
        if left > 0.05:  # stage 4
            share = sum(_plan(t)[1] for t in texts)
            more = min(left / share, (LAST_TRACK_EM - TRACK_EM) * line.style["font_size"]) if share else 0.0
            tracking, left = tracking + more, left - more * share
            spaces = sum(t.text.count(" ") + t.text.count("\u00a0") for t in texts)
            if spaces and left > 0:
                space += left / spaces
            line.unfilled = 0.01 + max(0.0, left)  # points still too wide: the next layout starts it earlier
    from .cjkjustify import _apply, _reach

    end = line.position_x + line.width + extra_width
    _apply(line, leaves, {id(t): _plan(t) for t in texts}, {}, space, tracking, _width)
    last = next((i for i in range(len(leaves) - 1, -1, -1) if isinstance(leaves[i], boxes.TextBox)
                 and leaves[i].text.strip()), None)
    if last is not None:
        gap = end - (leaves[-1].position_x + leaves[-1].width)
        _reach(leaves[last], space, tracking, leaves[last].width + gap, _width)
        for leaf in leaves[last + 1:]:
            if isinstance(leaf, boxes.TextBox):
                leaf.position_x += gap
            else:
                leaf.translate(gap, 0)
    return True
