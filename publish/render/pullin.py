"""Turn a justified Japanese line that would be spread out into one that takes the next unit by compressing its punctuation.

JLREQ 3.8 (追い込み処理): a line whose next unit (「た。¹²」, 「（WHA）」) does not fit is first set
tighter (its full-width punctuation loses the half em of blank a 、。）」 or 「（ carries), and only
when that cannot make room is its slack spread between the characters (追い出し; publish/render/
cjkjustify.py). Here, while a line is made (`split_inline_box`, as publish/render/pullup.py does for
English), a line of a justified Japanese block that cjkjustify would spread more than SPREAD_EM a gap
is made again with the room its punctuation can give up; when it then takes more text and the
marks set half-width (the font's OpenType `halt`, the glyph kept whole) make it fit, it is kept:
its marks carry `halts` (character indices, which cjkjustify's layouts turn into Pango `halt`
features) and cjkjustify spreads what is left. The first and last characters of a line (and the last
character of its last box with CJK text, which cjkjustify's `_reach` fits to the measure by its
whole glyph box), and a
mark next to another mark (a pair jlreq.py already sets half-width), keep their width. No extra layout.
"""
from __future__ import annotations

from collections import deque

from . import cjkjustify
from .pullup import resplitter

SPREAD_EM = 0.1  # a line spread more than this between its characters takes the next unit if it can
CLOSING = "、，：；）」』】〕》〉］｝〙〗〟"  # compressed first (JLREQ: the blank after a comma or bracket)
STOPS = "。．"
OPENING = "「『（〔［｛〈《【〘〖〝"
MARKS = CLOSING + STOPS + OPENING
PULLED: deque = deque(maxlen=1000)  # the texts of the latest lines that took the next unit (bounded: `serve`)


def install() -> None:
    """Wrap WeasyPrint's line splitting; idempotent. Raises UnsupportedWeasyPrint, as cjkjustify does."""
    from weasyprint.layout import inline

    cjkjustify.install()  # the version check (this mirrors WeasyPrint 70's line splitting), and the halts' layouts
    if getattr(inline.split_inline_box, "pullin", False):
        return
    original = inline.split_inline_box

    def split_inline_box(context, box, position_x, max_x, *args):
        from weasyprint.formatting_structure import boxes

        if not (isinstance(box, boxes.LineBox) and _justified_japanese(box.style)):
            return original(context, box, position_x, max_x, *args)
        again = resplitter(original, context, box, position_x, args)

        def split(limit):
            result = again(limit)
            inline.remove_last_whitespace(context, result[0])
            return result

        result = split(max_x)
        line, resume_at, preserved = result[:3]
        if resume_at is None or preserved or _spread(line, max_x) <= SPREAD_EM * line.style["font_size"]:
            return result
        chars, half = len(_text(line)), line.style["font_size"] / 2
        limit = max_x + half * (len(_marks(line)) + 2)
        for _ in range(3):
            trial = split(limit)
            pulled = trial[0]
            if trial[2] or len(_text(pulled)) <= chars:  # (the paragraph's end may come up too)
                break
            need = pulled.position_x + pulled.width - max_x
            candidates = _marks(pulled)
            gain = _gain(candidates)
            chosen = candidates[:int(need // gain) + 1] if gain else []
            if 0 < need and gain and len(chosen) * gain >= need + 0.01:
                _compress(pulled, chosen)
                if pulled.position_x + pulled.width <= max_x + 0.01:
                    PULLED.append(_text(pulled))
                    return trial
                break
            if gain * len(candidates) + max_x >= limit:
                break
            limit = max_x + gain * len(candidates)
        return split(max_x)

    split_inline_box.__dict__.update(vars(original))  # the other wrappers' marks: each installs once
    split_inline_box.pullin = True
    inline.split_inline_box = split_inline_box


def _justified_japanese(style) -> bool:
    return (style["text_align_all"] == "justify" and style["direction"] == "ltr"
            and style["white_space"] in ("normal", "pre-line")
            and (style["lang"] or "").split("-")[0].lower() == "ja")


def _text(line) -> str:
    from weasyprint.formatting_structure import boxes

    return "".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox))


def _spread(line, max_x) -> float:
    """About how far cjkjustify would open each gap between two characters of the line, in points."""
    text = _text(line).rstrip(cjkjustify.TRAILING)
    share = sum(len(m.group()) for m in cjkjustify.CJK.finditer(text)) - 1
    spaces = text.count(" ") + text.count("\u00a0")
    if share <= 0:
        return 0.0
    extra = max_x - line.position_x - line.width
    space = min(extra / (share + spaces), cjkjustify.MAX_SPACE_EM * line.style["font_size"])
    return (extra - space * spaces) / share


def _halted(style) -> bool:
    settings = style["font_feature_settings"]
    return settings != "normal" and any(tag in ("halt", "vhal") for tag, _ in settings)


def _marks(line) -> list:
    """(text box, character index) of every mark of the line that may be set half-width, those
    whose blank JLREQ gives up first first."""
    from weasyprint.formatting_structure import boxes

    texts = [leaf for leaf in cjkjustify._leaves(line) if isinstance(leaf, boxes.TextBox)]
    visible = [(leaf, i, ch) for leaf in texts for i, ch in enumerate(leaf.text) if ch not in cjkjustify.INVISIBLE]
    # cjkjustify fits the last box with CJK text to the measure by its last glyph's whole box: that glyph keeps its width
    # (less a trailing quarter-em space, which cjkjustify takes off first: 「は、」 then 「COVID-19\u2005」)
    last = next((leaf for leaf in reversed(texts) if cjkjustify.CJK.search(leaf.text.rstrip(cjkjustify.TRAILING))), None)
    end = next(((leaf, i) for leaf, i, _ in reversed(visible) if leaf is last), None)
    out = []
    for k in range(1, len(visible) - 1):
        leaf, i, ch = visible[k]
        if (ch in MARKS and visible[k - 1][2] not in MARKS and visible[k + 1][2] not in MARKS and (leaf, i) != end
                and not _halted(leaf.style) and (leaf.style["lang"] or "").startswith("ja")):
            out.append(((0 if ch in CLOSING else 1 if ch in STOPS else 2), k, leaf, i))
    return [(leaf, i) for *_, leaf, i in sorted(out, key=lambda m: m[:2])]


def _gain(candidates) -> float:
    """What setting one of the marks half-width saves (the font's halt: half an em), measured in Pango."""
    if not candidates:
        return 0.0
    leaf, i = candidates[0]
    natural = cjkjustify._width(leaf, 0, 0)[1]
    leaf.halts = (i,)
    halted = cjkjustify._width(leaf, 0, 0)[1]
    del leaf.halts
    return natural - halted


def _compress(line, chosen) -> None:
    """Set the chosen marks half-width: their boxes narrow, the boxes after them move left."""
    from weasyprint.formatting_structure import boxes

    halts = {}
    for leaf, i in chosen:
        halts.setdefault(id(leaf), (leaf, []))[1].append(i)
    natural = {key: cjkjustify._width(leaf, 0, 0)[1] for key, (leaf, _) in halts.items()}

    def shrink(box, shift):
        if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x -= shift
            before = shift
            for child in box.children:
                if child.is_in_normal_flow():
                    shift = shrink(child, shift)
            box.width -= shift - before
            return shift
        if not isinstance(box, boxes.TextBox):
            box.translate(-shift, 0)
            return shift
        box.position_x -= shift
        if id(box) in halts:
            box.halts = tuple(halts[id(box)][1])
            layout, width = cjkjustify._width(box, 0, 0)
            layout.deactivate()
            box.pango_layout = layout
            box.width -= natural[id(box)] - width
            shift += natural[id(box)] - width
        return shift

    shrink(line, 0)


def add_halts(layout) -> None:
    """Give a layout's marks at `layout.halts` (character indices) the font's `halt` feature."""
    from weasyprint.text.ffi import ffi, pango

    halts = [i for i in getattr(layout, "halts", ()) if i < len(layout.text)]
    if not halts:
        return
    attrs = pango.pango_layout_get_attributes(layout.layout)
    if attrs == ffi.NULL:
        attrs = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    for i in halts:
        attr = pango.pango_attr_font_features_new(b"halt 1")
        attr.start_index = len(layout.text[:i].encode())
        attr.end_index = attr.start_index + len(layout.text[i].encode())
        pango.pango_attr_list_insert(attrs, attr)
    pango.pango_layout_set_attributes(layout.layout, attrs)
