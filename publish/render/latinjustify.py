"""Turn a loose justified line of Latin text's slack into wider word spaces and a little tracking.

WeasyPrint 70 justifies a line by widening its word spaces only (`inline.justify_line`), so a line
with few spaces or a long word pushed to the next line gets word spaces of 0.6 em and more. Like
InDesign's justification settings (word spacing desired/maximum, letter spacing maximum), a line's
slack here goes, in this order:

1. to its word spaces, up to SPACE_EM more than the natural space (which is what most lines need);
2. to every gap between two glyphs of a word (Pango letter spacing, up to TRACK_EM) and to its
   word spaces (until a space is drawn MAX_EM wide: natural + added + tracking) together, in
   proportion, so that a line a little looser than stage 1 is tracked a little;
4. what is left (a line of very few spaces, or a long word pushed on): to the word spaces, as
   WeasyPrint does; such a line is returned by `loose_lines` so the layout can be made again
   with its next word hyphenated (publish/render/pdf.py).

Every text box's width is measured from Pango itself (with no, and with one probe of, tracking),
so the line reaches the measure as laid out; the last text box is then fitted to the measure as
drawn (publish.render.cjkjustify.drawn_end). Called from cjkjustify's hook on `justify_line`.
"""
from __future__ import annotations

import re

SPACE_EM = 0.1  # stage 1: what a word space widens by before letters are tracked
TRACK_EM = 0.03  # stage 2: the most a glyph gap widens (3 % of the font size)
MAX_EM = 0.5  # stage 3: the widest a word space is drawn
PROBE = 1022 / 1024
WORD = re.compile(r"[^ \u00a0\u200b\u00ad]+")
LOOSE: list = []  # (first word, last word) of each line that could not be filled within MAX_EM


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
            if not (justify and self.tracking):
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


def justify(context, line, extra_width, leaves) -> bool:
    """Justify a Latin line (its in-flow `leaves` in order) by word spaces and tracking; False (and
    nothing done) when its word spaces alone stay within SPACE_EM, as WeasyPrint then sets it."""
    from weasyprint.formatting_structure import boxes

    texts = [leaf for leaf in leaves if isinstance(leaf, boxes.TextBox)]
    spaces = sum(t.text.count(" ") + t.text.count("\u00a0") for t in texts)
    size = line.style["font_size"]
    if line.style["direction"] == "rtl" or not texts or extra_width <= SPACE_EM * size * spaces:
        return False
    plan = {}  # text box -> [natural width, tracking share, spaces, width gained by tracking at all]
    for leaf in texts:
        base = _width(leaf, 0, 0)[1]
        low, high = _width(leaf, 0, PROBE)[1], _width(leaf, 0, 2 * PROBE)[1]
        share = (high - low) / PROBE
        plan[id(leaf)] = [base, share, leaf.text.count(" ") + leaf.text.count("\u00a0"), low - base - share * PROBE]
    share = sum(p[1] for p in plan.values())
    fixed = sum(p[3] for p in plan.values())
    natural = _width(texts[0], 0, 0, text="x x")[1] - _width(texts[0], 0, 0, text="xx")[1]
    space = SPACE_EM * size
    left = extra_width - space * spaces - fixed  # what stages 2 and 3 share
    widest = max(0.0, MAX_EM * size - natural - TRACK_EM * size - 0.01 * size - space)
    room = TRACK_EM * size * share + widest * spaces
    if left <= 0 or room <= 0:
        return False
    part = min(1.0, left / room)  # tracking and word spaces reach their maxima together
    tracking, space = part * TRACK_EM * size, space + part * widest
    if left > room + 0.05:  # stage 4
        if spaces:
            space += (left - room) / spaces
        words = " ".join(t.text for t in texts).split()
        LOOSE.append((words[0], words[-1]) if words else ("", ""))
        line.unfilled = True  # the next layout starts it a word earlier (publish/render/loosebreaks.py)
    end = line.position_x + line.width + extra_width
    _apply(line, leaves, plan, space, tracking)
    last = next((i for i in range(len(leaves) - 1, -1, -1) if isinstance(leaves[i], boxes.TextBox)
                 and leaves[i].text.strip()), None)
    if last is not None:
        gap = end - (leaves[-1].position_x + leaves[-1].width)
        _reach(leaves[last], space, tracking, leaves[last].width + gap)
        for leaf in leaves[last + 1:]:
            if isinstance(leaf, boxes.TextBox):
                leaf.position_x += gap
            else:
                leaf.translate(gap, 0)
    return True


def _apply(line, leaves, plan, space, tracking):
    """Move and widen the line's boxes as WeasyPrint's add_word_spacing does: each text box gets its
    spaced and tracked layout and grows, the boxes after it move right."""
    from weasyprint.formatting_structure import boxes

    def spread(box, advance):
        if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x += advance
            before = advance
            for child in box.children:
                if child.is_in_normal_flow():
                    advance = spread(child, advance)
            box.width += advance - before
            return advance
        if not isinstance(box, boxes.TextBox):
            box.translate(advance, 0)
            return advance
        box.position_x += advance
        layout, width = _width(box, space, tracking)
        layout.deactivate()
        box.justification_spacing = space
        box.pango_layout = layout
        grown = width - plan[id(box)][0]
        box.width += grown
        return advance + grown

    spread(line, 0)


def _reach(box, space, tracking, target):
    """Make a text box, as drawn, end `target` points from its start: its last glyph gets its own
    letter spacing (the drawing cuts each tracked glyph's advance to a thousandth of an em)."""
    from .cjkjustify import drawn_end

    end_spacing = tracking
    for _ in range(4):
        layout, _ = _width(box, space, tracking, end_spacing)
        error = target - drawn_end(layout)
        if abs(error) < 0.005:
            break
        end_spacing += 2 * error
    layout.deactivate()
    box.pango_layout = layout
    box.width = target
