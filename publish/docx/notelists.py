"""Turn Word's numbered and bulleted paragraphs inside footnotes and endnotes into lists (pandoc's reader makes none there).

Before pandoc reads the package, every note paragraph Word numbers (w:numPr, its own or its style's)
gets a marker run (character style `publish-item`, text `bullet|STYLE/DELIM:LEVEL:NUMID:NUMBER`), its
kind and number read from numbering.xml as Word counts them. After pandoc, `regroup` turns runs of
marked paragraphs back into BulletList / OrderedList blocks, nested by level.
"""
from __future__ import annotations

from lxml import etree

ORDERED = {"decimal", "decimalZero", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman", "ordinal",
           "cardinalText", "ordinalText", "decimalEnclosedCircle", "decimalFullWidth", "japaneseCounting",
           "aiueo", "iroha", "ideographDigital", "chineseCounting"}

STYLE = {"lowerLetter": "LowerAlpha", "upperLetter": "UpperAlpha", "lowerRoman": "LowerRoman", "upperRoman": "UpperRoman"}


class Numbering:
    """numbering.xml and the numbering of paragraph styles: (numId, level) → kind and start."""

    def __init__(self, numbering, styles, ns: dict, w):
        self.ns, self.w = ns, w
        self.abstract = {a.get(w("abstractNumId")): a for a in (numbering.iter(w("abstractNum")) if numbering is not None else ())}
        self.nums = {n.get(w("numId")): n for n in (numbering.iter(w("num")) if numbering is not None else ())}
        self.styles = {s.get(w("styleId")): s for s in (styles.iter(w("style")) if styles is not None else ())}
        self.count: dict = {}

    def _val(self, node, path: str):
        found = node.find(path, self.ns) if node is not None else None
        return found.get(self.w("val")) if found is not None else None

    def of(self, p) -> tuple | None:
        """(numId, level) of paragraph `p`, from its own properties or its style's (basedOn followed)."""
        num, level = self._val(p, "w:pPr/w:numPr/w:numId"), self._val(p, "w:pPr/w:numPr/w:ilvl")
        style, seen = self._val(p, "w:pPr/w:pStyle"), set()
        while num is None and style in self.styles and style not in seen:
            seen.add(style)
            node = self.styles[style]
            num = self._val(node, "w:pPr/w:numPr/w:numId")
            level = level or self._val(node, "w:pPr/w:numPr/w:ilvl")
            style = self._val(node, "w:basedOn")
        if num is None or num == "0" or num not in self.nums:
            return None
        return num, int(level) if (level or "0").isdigit() else 0

    def marker(self, num: str, level: int) -> str:
        """`kind:level:numId:number`, counting as Word does (per list, restarting deeper levels)."""
        instance = self.nums[num]
        abstract = self.abstract.get(self._val(instance, "w:abstractNumId"))
        lvl = abstract.find(f"w:lvl[@w:ilvl='{level}']", self.ns) if abstract is not None else None
        override = instance.find(f"w:lvlOverride[@w:ilvl='{level}']", self.ns)
        start = self._val(override, "w:startOverride") or self._val(lvl, "w:start") or "1"
        fmt, text = self._val(lvl, "w:numFmt"), self._val(lvl, "w:lvlText") or ""
        kind = "bullet" if fmt not in ORDERED else STYLE.get(fmt, "Decimal") + (
            "/TwoParens" if text.startswith("(") else "/OneParen" if text.endswith(")") else "/Period")
        key = (num, level)
        self.count[key] = self.count.get(key, int(start) - 1 if start.isdigit() else 0) + 1
        for deeper in [k for k in self.count if k[0] == num and k[1] > level]:
            del self.count[deeper]
        return f"{kind}:{level}:{num}:{self.count[key]}"


def mark_note_lists(tree, numbering: Numbering, w) -> bool:
    """Put a `publish-item` marker run at the start of each numbered paragraph of a notes part."""
    found = False
    for p in tree.iter(w("p")):
        where = numbering.of(p)
        if where is None:
            continue
        run = etree.Element(w("r"))
        etree.SubElement(etree.SubElement(run, w("rPr")), w("rStyle")).set(w("val"), "PublishItem")
        etree.SubElement(run, w("t")).text = numbering.marker(*where)
        ppr = p.find("w:pPr", numbering.ns)
        p.insert(0 if ppr is None else p.index(ppr) + 1, run)
        found = True
    return found


def _item(block):
    """(kind, level, numId, number, the paragraph without its marker) if `block` is a marked paragraph."""
    inner = block
    while inner["t"] == "Div" and len(inner["c"][1]) == 1:
        inner = inner["c"][1][0]
    if inner["t"] not in ("Para", "Plain"):
        return None
    nodes = inner["c"]
    for i, node in enumerate(nodes):
        if node["t"] == "Span" and dict(node["c"][0][2]).get("custom-style") == "publish-item":
            text = "".join(n.get("c", "") for n in node["c"][1] if n["t"] == "Str")
            kind, level, num, number = (text.split(":") + ["", "", "", ""])[:4]
            rest = nodes[:i] + nodes[i + 1:]
            while rest and rest[0]["t"] in ("Space", "SoftBreak"):
                rest = rest[1:]
            return kind, int(level or 0), num, int(number or 1), {"t": "Para", "c": rest}
    return None


def regroup(blocks: list) -> list:
    """Runs of marked paragraphs as lists (a deeper level nests in the item before it)."""
    out, i = [], 0
    while i < len(blocks):
        first = _item(blocks[i])
        if first is None:
            out.append(blocks[i])
            i += 1
            continue
        j = i
        while j < len(blocks) and (x := _item(blocks[j])) is not None and (x[1] > first[1] or (x[1], x[0], x[2]) == (first[1], first[0], first[2])):
            j += 1
        out.append(_list(blocks[i:j], first))
        i = j
    return out


def _list(blocks: list, first) -> dict:
    items = []
    k = 0
    while k < len(blocks):
        item = _item(blocks[k])
        deeper = k + 1
        while deeper < len(blocks) and _item(blocks[deeper])[1] > first[1]:
            deeper += 1
        items.append([item[4]] + regroup(blocks[k + 1:deeper]))
        k = deeper
    if first[0] != "bullet":
        style, _, delim = first[0].partition("/")
        return {"t": "OrderedList", "c": [[first[3], {"t": style}, {"t": delim or "Period"}], items]}
    return {"t": "BulletList", "c": items}
