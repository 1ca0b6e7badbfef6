"""Post-process WeasyPrint's PDF with pikepdf: /Lang on foreign-language spans, page labels, link
descriptions; and the press PDF's fix-ups (no annotations, no DeviceRGB).

WeasyPrint 70 builds the structure tree from the layout (one /Span structure element for every
fragment of a `<span>`, holding one /Span per text run, each marking its text with an MCID on the
page's content stream) but drops the HTML `lang` attribute. The renderer hands us, for every page,
every `<span>` fragment as laid out, in the layout's tree order: [(lang or None, its text)].

The mapping is exact and checked. On each page, the /Span structure elements that hold other
structure elements are taken in the structure tree's order, which is the same tree order; the
text of each is read from the page's content stream through its MCIDs and the fonts' ToUnicode
maps. The two sequences are aligned in order, each span to the next element with the same text
(spans without `lang` take their element too, so a look-alike never steals a lang span's), and
the elements of lang spans get /Lang. A lang span that finds no element raises LangMappingError:
the PDF would otherwise read Chinese or Japanese as English.

Block elements with `lang` (a `<p lang="ja">` beside its English in the bilingual edition, a
heading, a table cell…) get /Lang the same way: the renderer hands us, for every page, every box
of the flow that makes a structure element, in tree order: [(its PDF tag, lang or None, its text)];
each is aligned to the next structure element of that page with the same tag and text.
"""
from __future__ import annotations

import hashlib
import io
import re
import uuid

from collections import defaultdict

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .pdffigure import tag_text_figures
from .pdflists import wrap_list_bodies

_SPACE = re.compile(r"[\s\u00ad\u2010\u2060\u200b]+")  # spaces, soft and hyphenation hyphens, word joiners, zero width spaces


class LangMappingError(RuntimeError):
    pass


def postprocess(raw: bytes, *, lang_spans: list, page_labels: list[str] | None, language: str,
                link_labels: dict | None = None, lang_blocks: list | None = None) -> bytes:
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        pdf.Root.Lang = String(language)
        pdf.Root.PageLayout = Name.TwoPageRight  # opens as spreads: the first page alone, as a recto
        if any(lang for spans in lang_spans for lang, _ in spans):
            set_span_languages(pdf, lang_spans)
        if lang_blocks and any(lang for blocks in lang_blocks for _, lang, _ in blocks):
            set_block_languages(pdf, lang_blocks)
        tag_links_whole(pdf)
        wrap_list_bodies(pdf)  # list items of several paragraphs: LI holds only Lbl and LBody
        from . import pdfdests, pdfua2  # they read the tree with this module's helpers

        pdfua2.conform(pdf)  # what PDF/UA-2 asks of the tag tree (valid PDF/UA-1 too)
        tag_text_figures(pdf)  # a chart that is not reproduced: a /Figure with its text as /Alt
        if page_labels:
            set_page_labels(pdf, page_labels)
        if link_labels:
            set_link_descriptions(pdf, link_labels)
        pdfdests.structure_destinations(pdf)  # links and bookmarks lead to structure elements (PDF 2.0)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


# Link descriptions ------------------------------------------------------------------------------
def set_link_descriptions(pdf: pikepdf.Pdf, labels: dict) -> None:
    """/Contents of internal link annotations: what the link says ("Endnote 3", a chapter's title)
    instead of the target's id."""
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", ()):
            dest = annot.get("/Dest")
            if isinstance(dest, String) and str(dest) in labels:
                annot.Contents = String(labels[str(dest)])


# Page labels ------------------------------------------------------------------------------------
def set_page_labels(pdf: pikepdf.Pdf, labels: list[str]) -> None:
    """/PageLabels from the folios (lower-roman, then arabic from 1), so viewers show "iii", "12"."""
    nums = Array()
    previous = None
    for i, label in enumerate(labels):
        if not label.isdigit() and not set(label) <= set("ivxlcdm"):  # "Cover": a prefix, no number
            if i == 0 or labels[i - 1] != label:
                nums.extend([i, Dictionary(P=String(label))])
            previous = None
            continue
        style = "D" if label.isdigit() else "r"
        start = int(label) if label.isdigit() else _from_roman(label)
        expected = None if previous is None else (previous[0], previous[1] + 1)
        if (style, start) != expected:
            nums.append(i)
            nums.append(Dictionary(S=Name("/" + style), St=start))
        previous = (style, start)
    pdf.Root.PageLabels = Dictionary(Nums=nums)


def _from_roman(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for a, b in zip(text, text[1:] + " "):
        v = values[a]
        total += -v if values.get(b, 0) > v else v
    return total


# /Lang on spans ---------------------------------------------------------------------------------
def set_span_languages(pdf: pikepdf.Pdf, lang_spans: list) -> int:
    """Set /Lang on the structure element of every laid-out lang span; the number of elements set.
    `lang_spans`: per page, every <span> fragment in tree order, [(lang or None, text)]."""
    page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
    inline_spans = defaultdict(list)  # page index -> [inline /Span element] in structure order
    for elem in iter_struct(pdf.Root.StructTreeRoot):
        if elem.get("/S") == "/Span" and _holds_elements(elem) and "/Pg" in elem:
            inline_spans[page_index[elem.Pg.objgen]].append(elem)

    texts: dict = {}
    done = 0
    missing = []
    for index, spans in enumerate(lang_spans):
        if not any(lang for lang, _ in spans):
            continue
        candidates = inline_spans.get(index, [])
        if index not in texts:
            wanted = {mcid for elem in candidates for mcid in element_mcids(elem)}
            texts[index] = mcid_texts(pdf, pdf.pages[index], wanted)
        have = [_norm(element_text(elem, texts[index])) for elem in candidates]
        found, lost = _assign(index, spans, candidates, have, lambda j, item: True,
                              lambda item: f"[{item[0]}] {item[1]!r}")
        done += found
        missing += lost
    if missing:
        raise LangMappingError("no structure element found for: " + "; ".join(missing))
    return done


# Link annotations ------------------------------------------------------------------------------
def tag_links_whole(pdf: pikepdf.Pdf) -> int:
    """Hang every link annotation on its Link structure element (PDF/UA-1 7.18.5): WeasyPrint 70
    gives a `<span>` inside an `<a>` an annotation of its own, whose object reference it puts
    under the span's element (an untranslated title in a link, an English run in a Japanese one).
    The reference moves up to the nearest Link element, and the parent tree follows. The number
    of annotations moved."""
    root = pdf.Root.StructTreeRoot
    moves = []
    for elem in iter_struct(root):
        if elem.get("/S") == "/Link":
            continue
        kids = elem.get("/K")
        if not isinstance(kids, Array):
            continue
        for kid in kids:
            if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR and \
                    kid.Obj.get("/Subtype") == Name.Link:
                link = elem.get("/P")
                while isinstance(link, Dictionary) and link.get("/S") not in ("/Link", None):
                    link = link.get("/P")
                if isinstance(link, Dictionary) and link.get("/S") == "/Link":
                    moves.append((elem, kid, link))
    for elem, kid, link in moves:
        elem.K = Array([k for k in elem.K if not (isinstance(k, Dictionary) and k.objgen == kid.objgen
                                                   and k.get("/Type") == Name.OBJR)])
        kids = link.get("/K")
        link.K = Array(([*kids] if isinstance(kids, Array) else [kids] if kids is not None else []) + [kid])
        number = kid.Obj.get("/StructParent")
        if number is not None:
            _set_parent(root.ParentTree, int(number), link)
    return len(moves)


def _set_parent(node, key: int, elem) -> bool:
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums), 2):
            if int(nums[i]) == key:
                nums[i + 1] = elem
                return True
    return any(_set_parent(kid, key, elem) for kid in node.get("/Kids", ()))


# Wrappers --------------------------------------------------------------------------------------
def collapse_wrappers(pdf: pikepdf.Pdf, kind: str = "/Div") -> int:
    """Fold every structure element of `kind` that holds nothing but one element of the same kind
    into it (WeasyPrint gives each anonymous box of a `display: table` <div> an element: a <div>
    laid out as a one-row table becomes Div > Div > Div > Div). Elements that mark content
    themselves, or carry attributes, stay. The number of elements folded."""
    folded = 0
    for elem in list(iter_struct(pdf.Root.StructTreeRoot)):
        while elem.get("/S") == kind:
            kids = elem.get("/K")
            kids = list(kids) if isinstance(kids, Array) else [kids] if kids is not None else []
            if len(kids) != 1 or not isinstance(kids[0], Dictionary) or kids[0].get("/S") != kind:
                break
            child = kids[0]
            grandkids = child.get("/K")
            grandkids = list(grandkids) if isinstance(grandkids, Array) else [grandkids] if grandkids is not None else []
            if any(key in child for key in ("/A", "/Lang", "/ID", "/Alt", "/ActualText", "/C")) or \
                    not all(isinstance(k, Dictionary) and "/S" in k for k in grandkids):
                break
            elem.K = Array(grandkids)
            for kid in grandkids:
                kid.P = elem
            folded += 1
    return folded


#: The structure types WeasyPrint may give a box of each tag (list items and table cells are wrapped
#: or renamed: publish/render/pdf.py reads the tag from weasyprint.pdf.tags).
_TAG_FAMILY = {"LI": {"/LI", "/LBody", "/NonStruct"}, "TD": {"/TD", "/TH", "/NonStruct"},
               "TH": {"/TD", "/TH", "/NonStruct"}}


def set_block_languages(pdf: pikepdf.Pdf, lang_blocks: list) -> int:
    """Set /Lang on the structure element of every laid-out box whose element has `lang`; the number
    of elements set. `lang_blocks`: per page, every box that makes a structure element, in tree
    order, [(PDF tag, lang or None, text)] (a page without lang boxes may be an empty list)."""
    page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
    elements = defaultdict(list)  # page index -> [structure element] in structure order, text runs left out
    for elem in iter_struct(pdf.Root.StructTreeRoot):
        if "/Pg" in elem and not (elem.get("/S") == "/Span" and not _holds_elements(elem)):
            elements[page_index[elem.Pg.objgen]].append(elem)
    done = 0
    missing = []
    for index, blocks in enumerate(lang_blocks):
        if not any(lang for _, lang, _ in blocks):
            continue
        candidates = elements.get(index, [])
        texts = mcid_texts(pdf, pdf.pages[index])
        have = [_norm(element_text(elem, texts)) for elem in candidates]
        kinds = [str(elem.get("/S")) for elem in candidates]
        found, lost = _assign(index, [(lang, text, tag) for tag, lang, text in blocks], candidates, have,
                              lambda j, item: kinds[j] in _TAG_FAMILY.get(item[2], {f"/{item[2]}"}),
                              lambda item: f"<{item[2]} lang={item[0]}> {item[1][:60]!r}")
        done += found
        missing += lost
    if missing:
        raise LangMappingError("no structure element found for: " + "; ".join(missing))
    return done


def _assign(index: int, items, candidates, have, fits, label) -> tuple[int, list[str]]:
    """Match each laid-out item (lang, text, …), in order, to the next structure element with the
    same text that `fits` it, and set its /Lang: (elements set, items with a lang not found)."""
    done, missing, at = 0, [], 0
    for item in items:
        lang, text = item[0], item[1]
        want = _norm(text)
        if not want:
            continue
        j = next((j for j in range(at, len(candidates)) if have[j] == want and fits(j, item)), None)
        if j is None:
            if lang:
                missing.append(f"page {index + 1}: {label(item)}")
            continue
        at = j + 1
        if lang:
            candidates[j].Lang = String(lang)
            done += 1
    return done, missing


def iter_struct(node):
    """Structure elements under `node`, depth first, in the tree's order."""
    kids = node.get("/K")
    if kids is None:
        return
    if not isinstance(kids, Array):
        kids = [kids]
    for kid in kids:
        if isinstance(kid, Dictionary) and kid.get("/Type", Name.StructElem) == Name.StructElem and "/S" in kid:
            yield kid
            yield from iter_struct(kid)


def _holds_elements(elem) -> bool:
    kids = elem.get("/K")
    if kids is None:
        return False
    if not isinstance(kids, Array):
        kids = [kids]
    return any(isinstance(k, Dictionary) and "/S" in k for k in kids)


def element_mcids(elem):
    """The MCIDs of an element and its descendants (same page assumed: WeasyPrint splits per page)."""
    kids = elem.get("/K")
    if kids is None:
        return
    if not isinstance(kids, Array):
        kids = [kids]
    for kid in kids:
        if isinstance(kid, int):
            yield int(kid)
        elif isinstance(kid, Dictionary):
            if kid.get("/Type") == Name.MCR:
                yield int(kid.MCID)
            elif "/S" in kid:
                yield from element_mcids(kid)


def element_text(elem, texts: dict) -> str:
    return "".join(texts.get(mcid, "") for mcid in element_mcids(elem))


def _norm(text: str) -> str:
    return _SPACE.sub("", text)


# Content stream text by MCID --------------------------------------------------------------------
def mcid_texts(pdf: pikepdf.Pdf, page, wanted: set | None = None) -> dict[int, str]:
    """{MCID: the Unicode text it marks} for one page (form XObjects included); only the MCIDs in
    `wanted` if given."""
    out: dict[int, list] = defaultdict(list)
    _scan(page.obj, page.obj.get("/Resources", Dictionary()), [], out, {}, 0, wanted)
    return {mcid: "".join(parts) for mcid, parts in out.items()}


def _scan(container, resources, stack, out, cmaps, depth, wanted=None):
    fonts = resources.get("/Font", Dictionary())
    font = None
    for operands, operator in pikepdf.parse_content_stream(container):
        op = str(operator)
        if op == "BDC":
            props = operands[1]
            if isinstance(props, Name):
                props = resources.get("/Properties", Dictionary()).get(props, Dictionary())
            mcid = props.get("/MCID") if isinstance(props, Dictionary) else None
            stack.append(int(mcid) if mcid is not None else None)
        elif op == "BMC":
            stack.append(None)
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op == "Tf":
            font = fonts.get(operands[0])
        elif op in ("Tj", "'", '"', "TJ"):
            current = next((m for m in reversed(stack) if m is not None), None)
            if current is None or font is None or (wanted is not None and current not in wanted):
                continue
            if op == "TJ":
                strings = [x for x in operands[0] if isinstance(x, pikepdf.String)]
            else:
                strings = [operands[-1]]
            cmap = _cmap(font, cmaps)
            for s in strings:
                out[current].append(_decode(bytes(s), font, cmap))
        elif op == "Do" and depth < 8:
            xobject = resources.get("/XObject", Dictionary()).get(operands[0])
            if xobject is not None and xobject.get("/Subtype") == Name.Form:
                _scan(xobject, xobject.get("/Resources", resources), stack, out, cmaps, depth + 1, wanted)


def _cmap(font, cache) -> dict:
    key = font.objgen
    if key not in cache:
        table = {}
        if "/ToUnicode" in font:
            data = font.ToUnicode.read_bytes().decode("latin-1")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
                for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
                    table[int(src, 16)] = _utf16(dst)
            for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
                for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    base = int(dst, 16)
                    for n, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                        table[code] = chr(base + n)
        cache[key] = table
    return cache[key]


def _utf16(hexstr: str) -> str:
    return bytes.fromhex(hexstr).decode("utf-16-be", errors="replace") if hexstr else ""


def _decode(data: bytes, font, cmap: dict) -> str:
    if font.get("/Subtype") == Name.Type0:
        codes = [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
    else:
        codes = list(data)
    return "".join(cmap.get(c, "") for c in codes)


# The press PDF ----------------------------------------------------------------------------------
def press(raw: bytes, *, page_labels: list[str] | None, language: str) -> bytes:
    """Fix-ups for the press PDF: no annotations (PDF/X allows none inside the bleed box; links mean
    nothing on paper) and no DeviceRGB colour left (crop marks, running heads: WeasyPrint writes
    CSS sRGB colours as DeviceRGB; they become CMYK, greys on the black plate only)."""
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        pdf.Root.Lang = String(language)
        if page_labels:
            set_page_labels(pdf, page_labels)
        done: set = set()
        for page in pdf.pages:
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
            _cmyk_stream(pdf, page, done)
            for xobject in _forms(page.obj.get("/Resources", Dictionary()), done):
                _cmyk_stream(pdf, xobject, done)
        _stable_document_id(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _stable_document_id(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint gives a PDF/X file a random XMP DocumentID; make it a function of the content so
    that two builds of the same book are byte-identical."""
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        return
    xmp = metadata.read_bytes()
    random_id = re.compile(rb"xmp\.did:[0-9a-f-]{36}")
    if random_id.search(xmp):
        digest = hashlib.sha256(random_id.sub(b"", xmp))
        for page in pdf.pages:
            for content in page.obj.get("/Contents", pikepdf.Array()) if isinstance(page.obj.get("/Contents"), pikepdf.Array) else [page.obj.get("/Contents")]:
                if content is not None:
                    digest.update(content.read_bytes())
        stable = uuid.uuid5(uuid.NAMESPACE_URL, digest.hexdigest())
        metadata.write(random_id.sub(f"xmp.did:{stable}".encode(), xmp))


def _forms(resources, seen):
    for _name, xobject in resources.get("/XObject", Dictionary()).items():
        if xobject.get("/Subtype") == Name.Form and xobject.objgen not in seen:
            yield xobject
            yield from _forms(xobject.get("/Resources", Dictionary()), seen)


def rgb_to_cmyk(r: float, g: float, b: float) -> list[float]:
    if abs(r - g) < 1e-3 and abs(g - b) < 1e-3:
        return [0.0, 0.0, 0.0, round(1 - r, 4)]
    k = 1 - max(r, g, b)
    if k >= 1:
        return [0.0, 0.0, 0.0, 1.0]
    return [round((1 - x - k) / (1 - k), 4) for x in (r, g, b)] + [round(k, 4)]


def _cmyk_stream(pdf, target, done) -> None:
    key = target.objgen if hasattr(target, "objgen") and target.objgen != (0, 0) else None
    if key in done:
        return
    if key:
        done.add(key)
    ops = pikepdf.parse_content_stream(target)
    changed = False
    out = []
    for operands, operator in ops:
        op = str(operator)
        if op in ("rg", "RG"):
            cmyk = rgb_to_cmyk(*(float(x) for x in operands))
            out.append(pikepdf.ContentStreamInstruction(cmyk, pikepdf.Operator("k" if op == "rg" else "K")))
            changed = True
        else:
            out.append(pikepdf.ContentStreamInstruction(operands, operator))
    if changed:
        data = pikepdf.unparse_content_stream(out)
        if isinstance(target, pikepdf.Page):
            target.obj.Contents = pdf.make_stream(data)
        else:
            target.write(data)
