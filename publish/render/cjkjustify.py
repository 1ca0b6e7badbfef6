"""Turn WeasyPrint's justification (a line's slack into its word spaces only) into CJK justification.

CSS `text-justify: auto` for Chinese and Japanese, JIS X 4051 and JLREQ §3.8 all justify a line by
spacing its characters: the slack goes between the ideographs, kana and CJK punctuation, and a
space between Latin words widens no more than its share. WeasyPrint 70 gives the whole slack to
the spaces (`weasyprint.layout.inline.justify_line`), so a Japanese line without spaces is left
ragged and a line with one English phrase gets huge word spaces.

`install()` replaces that one function, which `text_align()` calls by its module-global name (and
`text_align()` itself, which leaves unjustified a line that a hanging quarter-em space fills), and
only on WeasyPrint 70.0 (any other version: UnsupportedWeasyPrint, as the layout code it mirrors
may have changed). Lines of a block whose language is not Chinese or Japanese, and lines with no CJK
character, keep WeasyPrint's own justification. On a Chinese or Japanese line with CJK characters:

- every CJK character (and U+2005, the quarter-em Japanese–Latin space) takes `g/2` of extra space
  on each side, except at the line's two ends: a gap between two CJK characters widens by `g`,
  a gap between CJK and Latin by `g/2`; Latin words are not letter-spaced;
- a space between Latin words widens by the same share, at most MAX_SPACE_EM of the font size;
- `g` is chosen so the line ends exactly at the measure, but never over MAX_GAP_EM of the font size:
  a line of two or three Japanese characters and a long English phrase whose next word did not fit
  (「に、“Japan's Defense Policy in」 in a 22-character column) would otherwise open its one or two
  gaps to several ems, and 「に　　　　、　“Japan's」 reads as two lines, the second starting with 、.
  Such a line ends short, as a line of European text in a Japanese paragraph does. A quarter of an em
  is where spaced-out characters start to read as 「政 治 学」 (the bilingual edition's 22-character column:
  a line whose next unit is 「（WHA）」 or 「COVID-19」); the ja edition's 43-character lines never need
  more than a tenth of an em. Inside a text box the spacing is Pango's
  letter spacing on the CJK runs (set when the box is drawn, as WeasyPrint sets word spacing);
  between two boxes it is an advance of the boxes that follow. Each box's share is measured from
  Pango itself (its width with no, and with one point of, spacing), so the sums are exact.

Written against WeasyPrint's internals so that it could be offered upstream as `justify_line`.
"""
from __future__ import annotations

import re

from . import latinjustify, pullin

SUPPORTED = "70.0"
MAX_SPACE_EM = 0.2  # the most a Latin word space widens on a CJK line (a space is ~0.26 em)
MAX_GAP_EM = 0.25  # the most a gap between two CJK characters widens (wider reads as letter-spaced text)
CJK = re.compile(r"[\u2005\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
                 r"\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]+")
PROBE = 1022 / 1024  # the spacing a box's share is measured with: Pango rounds whole units' halves
LANGUAGES = {"ja", "zh"}  # Korean justifies between words, as Latin does
TRAILING = "\u2005\u2060"
INVISIBLE = "\u2060\u200b\u00ad "


class UnsupportedWeasyPrint(RuntimeError):
    """The installed WeasyPrint is not the version this justification was written against."""


def install():
    """Make WeasyPrint justify CJK lines between characters; idempotent. Raises UnsupportedWeasyPrint."""
    import weasyprint
    from weasyprint.layout import inline

    if weasyprint.__version__ != SUPPORTED:
        raise UnsupportedWeasyPrint(
            f"publish.render.cjkjustify extends WeasyPrint {SUPPORTED}'s line justification; "
            f"WeasyPrint {weasyprint.__version__} is installed (pin weasyprint=={SUPPORTED}, or port the module)")
    if getattr(inline.justify_line, "cjk", False):
        return
    original = inline.justify_line

    def justify_line(context, line, extra_width):
        if _justify(context, line, extra_width):
            return
        language = (line.style["lang"] or "").split("-")[0].lower()
        if language in LANGUAGES and (spaces := inline.count_expandable_spaces(line)):
            # A Latin line of a CJK paragraph: its spaces widen no more than on a CJK line, even
            # if the line then ends short (as JLREQ sets a line of European text in Japanese).
            inline.add_word_spacing(context, line, min(extra_width / spaces, MAX_SPACE_EM * line.style["font_size"]), 0)
            return
        if language not in LANGUAGES and latinjustify.justify(context, line, extra_width, list(_leaves(line))):
            return  # a loose Latin line: word spaces and a little tracking (publish/render/latinjustify.py)
        original(context, line, extra_width)

    justify_line.cjk = True
    inline.justify_line = justify_line  # the hook: text_align() looks this name up when it justifies
    original_align = inline.text_align

    def text_align(context, line, available_width, last):
        # A line that its hanging quarter-em space fills (or overflows) is not justified by
        # WeasyPrint; without that space it ends short of the measure, so it is justified here.
        if (not last and line.width >= available_width and _hangs(line)
                and line.style["text_align_all"] == "justify"
                and line.style["white_space"] in ("normal", "nowrap", "pre-line")):
            _justify(context, line, available_width - line.width)
            return 0
        if getattr(line, "pulled", False) and line.width > available_width:  # a word pulled up: tightened
            latinjustify.justify(context, line, available_width - line.width, list(_leaves(line)))
            return 0
        return original_align(context, line, available_width, last)

    inline.text_align = text_align  # iter_line_boxes() looks this name up for every line


def cjk_runs(text: str) -> list[tuple[int, int]]:
    """The (start, end) byte offsets in UTF-8 of every run of CJK characters of `text`."""
    out = []
    for match in CJK.finditer(text):
        start = len(text[:match.start()].encode())
        out.append((start, start + len(match.group().encode())))
    return out


def _hangs(line) -> bool:
    """Whether a Chinese or Japanese line ends with a quarter-em space (which is not drawn there)."""
    from weasyprint.formatting_structure import boxes

    if (line.style["lang"] or "").split("-")[0].lower() not in LANGUAGES:
        return False
    leaves = list(_leaves(line))
    return bool(leaves) and isinstance(leaves[-1], boxes.TextBox) and leaves[-1].text.endswith(tuple(TRAILING))


def _edge(text: str, last: bool) -> str:
    """The first (or last) visible character of a box's text, or ''."""
    stripped = text.strip(INVISIBLE)
    return (stripped[-1:] if last else stripped[:1])


def _leaves(box):
    """The line's in-flow descendants in order: text boxes and atomic inline boxes."""
    from weasyprint.formatting_structure import boxes

    for child in box.children:
        if not child.is_in_normal_flow():
            continue
        if isinstance(child, boxes.InlineBox):
            yield from _leaves(child)
        else:
            yield child


def _layout_class():
    from weasyprint.text.ffi import TO_UNITS, ffi, pango
    from weasyprint.text.line_break import Layout

    class CJKLayout(Layout):
        """A text box's Pango layout whose CJK runs carry `cjk_spacing` points of letter spacing."""
        cjk_spacing = 0
        end_spacing = None  # the spacing of the line's last character, if it is CJK (see _reach)

        def set_text(self, text, justify=False):
            super().set_text(text, justify)
            pullin.add_halts(self)  # the marks a pulled-in line sets half-width (publish/render/pullin.py)
            if not (justify and self.cjk_spacing):
                return
            attrs = pango.pango_layout_get_attributes(self.layout)
            if attrs == ffi.NULL:
                attrs = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
            ranges = [(start, end, self.cjk_spacing) for start, end in cjk_runs(self.text)]
            visible = len(self.text.rstrip(INVISIBLE).encode())
            if self.end_spacing is not None and ranges and ranges[-1][1] == visible:
                start, end, spacing = ranges.pop()
                last = len(self.text.encode()[:end].decode()[-1].encode())
                ranges += [(start, end - last, spacing), (end - last, end, self.end_spacing)]
            for start, end, spacing in ranges:
                if start < end:
                    attr = pango.pango_attr_letter_spacing_new(int(spacing * TO_UNITS))
                    attr.start_index, attr.end_index = start, end
                    pango.pango_attr_list_change(attrs, attr)
            pango.pango_layout_set_attributes(self.layout, attrs)

    return CJKLayout


_CLASS = []


def drawn_end(layout) -> float:
    """Where the last glyph of a layout's first line ends, drawn as weasyprint.draw.text draws it.

    The drawing writes each glyph's advance as its font's width plus a TJ adjustment cut to a whole
    thousandth of an em (`int(kerning)`), so a letter-spaced run drawn is up to 0.01 pt a glyph
    shorter than Pango laid it out; this sums the advances as drawn (the last glyph's in full)."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango
    from weasyprint.text.fonts import get_pango_font_key

    first, _ = layout.get_first_line()
    logical = ffi.new("PangoRectangle *")
    end = position = 0.0
    run = first.runs[0] if first.runs != ffi.NULL else None
    while run is not None and run != ffi.NULL:
        item, run = run.data, run.next
        font_size = get_pango_font_key(item.item.analysis.font)[2]
        if pango.pango_version() < 14802:
            font_size = layout.style["font_size"]
        for info in item.glyphs.glyphs[0:item.glyphs.num_glyphs]:
            width = info.geometry.width
            if info.glyph == pango.PANGO_GLYPH_EMPTY:
                position += width / 1000
                continue
            pango.pango_font_get_glyph_extents(item.item.analysis.font, info.glyph, ffi.NULL, logical)
            glyph = round(logical.width * 1000 * FROM_UNITS / font_size)
            offset = info.geometry.x_offset / font_size
            end = position + (offset + glyph) * font_size / 1000
            position += (offset + glyph - int(glyph + offset - width * 1000 * FROM_UNITS / font_size)) * font_size / 1000
    return end


def _width(box, word_spacing: float, cjk_spacing: float, end_spacing=None):
    """The layout of a text box drawn with that spacing, and its width as laid out."""
    from weasyprint.text.line_break import line_size

    if not _CLASS:
        _CLASS.append(_layout_class())
    layout = _CLASS[0](box.style, word_spacing, None)
    layout.cjk_spacing = cjk_spacing
    layout.end_spacing = end_spacing
    layout.halts = getattr(box, "halts", ())
    layout.set_text(box.text, justify=True)
    first, _ = layout.get_first_line()
    width, _ = line_size(first, box.style)
    return layout, width


def _justify(context, line, extra_width) -> bool:
    """Justify a line holding CJK text between its characters; False (and nothing done) otherwise."""
    from weasyprint.formatting_structure import boxes

    language = (line.style["lang"] or "").split("-")[0].lower()
    if language not in LANGUAGES or line.style["direction"] == "rtl":
        return False
    leaves = list(_leaves(line))
    texts = [leaf for leaf in leaves if isinstance(leaf, boxes.TextBox)]
    if not leaves or not any(CJK.search(t.text.rstrip(TRAILING)) for t in texts):
        return False
    end = line.position_x + line.width + extra_width  # the measure
    last = leaves[-1]
    if isinstance(last, boxes.TextBox) and last.text.endswith(tuple(TRAILING)):
        # A quarter-em space between Latin and Japanese text that ends up at the line's end
        # (where it may break: UAX #14 class BA) is not drawn: the line ends at the Latin text.
        # Pango lets such a space hang past the measure (extra_width < 0), so it goes first.
        natural = _width(last, 0, 0)[1]
        last.text = last.text.rstrip(TRAILING)
        shrunk = _width(last, 0, 0)[1]
        extra_width += natural - shrunk
        last.width -= natural - shrunk
    if extra_width <= 0:
        return False
    plan = {}  # text box -> [natural width, CJK share, spaces, width gained by spacing at all]
    for leaf in texts:
        base, share, fixed = _width(leaf, 0, 0)[1], 0, 0
        if CJK.search(leaf.text):  # width = base + fixed + share × spacing (spacing splits kerning pairs)
            low, high = _width(leaf, 0, PROBE)[1], _width(leaf, 0, 2 * PROBE)[1]
            share = (high - low) / PROBE
            fixed = low - base - share * PROBE
        plan[id(leaf)] = [base, share, leaf.text.count(" ") + leaf.text.count("\u00a0"), fixed]
    joints = {}  # index of a leaf -> the share of the gap before it
    for i in range(1, len(leaves)):
        a, b = leaves[i - 1], leaves[i]
        if isinstance(a, boxes.TextBox) and isinstance(b, boxes.TextBox):
            left, right = _edge(a.text, True), _edge(b.text, False)
            if left and right:
                joints[i] = 0.5 * bool(CJK.match(left)) + 0.5 * bool(CJK.match(right))
    cjk_share = sum(p[1] for p in plan.values()) + sum(joints.values())
    spaces = sum(p[2] for p in plan.values())
    if cjk_share <= 0:
        return False
    font_size = line.style["font_size"]
    space = min(extra_width / (cjk_share + spaces), MAX_SPACE_EM * font_size)
    gap = (extra_width - space * spaces - sum(p[3] for p in plan.values())) / cjk_share
    capped = gap > MAX_GAP_EM * font_size
    gap = min(gap, MAX_GAP_EM * font_size)
    _apply(line, leaves, plan, joints, space, gap)
    if capped:
        return True  # the line ends short of the measure (see the module docstring)
    # The line as drawn ends at the measure: the last box with CJK text takes what the model and
    # the drawing's rounding leave over, and the boxes after it (a note's number) move with it.
    last = next((leaf for leaf in reversed(leaves) if not isinstance(leaf, boxes.TextBox) or leaf.text.strip()), None)
    spaced = [i for i, leaf in enumerate(leaves) if isinstance(leaf, boxes.TextBox) and plan[id(leaf)][1]]
    if last is not None and spaced:
        k = spaced[-1]
        left = end - (last.position_x + last.width)
        _reach(leaves[k], space, gap, leaves[k].width + left)
        for leaf in leaves[k + 1:]:
            if isinstance(leaf, boxes.TextBox):
                leaf.position_x += left
            else:
                leaf.translate(left, 0)
    return True


def _apply(line, leaves, plan, joints, space, gap, width_of=_width):
    """Move and widen the line's boxes, as WeasyPrint's add_word_spacing does: each text box gets its
    spaced layout and grows, the boxes after it (and after a joint between two boxes) move right.
    `width_of(box, word spacing, spacing)`: the spaced layout and its width (latinjustify's tracks
    every glyph gap of a word, this module's the CJK runs')."""
    from weasyprint.formatting_structure import boxes

    index = {id(leaf): i for i, leaf in enumerate(leaves)}

    def spread(box, advance):
        if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x += advance
            before = advance
            for child in box.children:
                if child.is_in_normal_flow():
                    advance = spread(child, advance)
            box.width += advance - before
            return advance
        advance += joints.get(index[id(box)], 0) * gap
        if not isinstance(box, boxes.TextBox):
            box.translate(advance, 0)
            return advance
        box.position_x += advance
        natural, share, _, _ = plan[id(box)]
        layout, width = width_of(box, space, gap if share else 0)
        layout.deactivate()
        box.justification_spacing = space
        box.pango_layout = layout
        box.width += width - natural
        return advance + width - natural

    spread(line, 0)


def _reach(box, space, gap, target, width_of=_width):
    """Make a text box, as drawn, end `target` points from its start.
    The drawing loses up to 0.01 pt a spaced glyph (see drawn_end); the last character, given its
    own spacing, takes half of it before it (a glyph offset, which the drawing keeps exact), so it is
    moved to the measure."""
    end_spacing = gap
    for _ in range(4):
        layout, _ = width_of(box, space, gap, end_spacing)
        error = target - drawn_end(layout)
        if abs(error) < 0.005:
            break
        end_spacing += 2 * error
    layout.deactivate()
    box.pango_layout = layout
    box.width = target
