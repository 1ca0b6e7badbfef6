"""Turn a book's editions and the artifacts a build holds into each HTML site's links: the other
editions' sites and the edition's own PDF and EPUB downloads.

Every edition lives in build/<edition>/ (html/, book.pdf, book.epub), so a page of
build/<edition>/html/ reaches a sibling edition at ../../<other>/html/index.html and its own
downloads at ../book.pdf and ../book.epub. A link is written only to an artifact the build
holds when it is published (made by this build, or carried over from the previous one):
`publish build --format html` links no PDF that was never made. `publish check` renders with
every artifact present, and the link checker (publish/links.py) knows these paths.
"""
from __future__ import annotations

from pathlib import Path

SITE = "html/index.html"
DOWNLOADS = (("pdf", "book.pdf", "application/pdf"), ("epub", "book.epub", "application/epub+zip"))


def artifacts(names, formats=("html", "pdf", "epub")) -> set[str]:
    """Every link target a build of these editions in these formats makes (paths under build/)."""
    files = {"html": SITE, "pdf": "book.pdf", "epub": "book.epub"}
    return {f"{name}/{files[fmt]}" for name in names for fmt in formats if fmt in files}


def present(names, formats, only, old: Path | None) -> set[str]:
    """The link targets build/ will hold once this build is published: what it makes, and what the
    previous generation `old` holds that this build carries over."""
    made = artifacts([n for n in names if not only or n in only], formats)
    kept = {rel for rel in artifacts(names) if old is not None and (old / rel).is_file()}
    return made | kept


def outside(name: str, held: set[str]) -> set[str]:
    """The hrefs (relative to a page of `name`'s site) that leave the site for an artifact in `held`."""
    return {f"../{rel.split('/', 1)[1]}" if rel.startswith(f"{name}/") else f"../../{rel}" for rel in held}


def edition_links(name: str, book, translations, labels_of, held: set[str]) -> dict:
    """What the templates need for the site of edition `name`: {"editions": [...], "downloads": [...]}.

    `book`: the original Book; `translations`: its translation languages; `labels_of(lang)`: the
    labels of a language. Each edition is named in its own language(s) (a language switch is read
    by those who read the language it offers)."""
    original = book.language
    editions = [(original, [original])] + [(lang, [lang]) for lang in translations]
    editions += [(f"{original}-{lang}", [original, lang]) for lang in translations]
    out = {"editions": [], "downloads": []}
    for other, langs in editions:
        if other != name and f"{other}/{SITE}" not in held:
            continue
        out["editions"].append({
            "href": None if other == name else f"../../{other}/{SITE}",
            "hreflang": langs[0],
            "names": [(lang, labels_of(lang).get("language_name", lang)) for lang in langs],
        })
    lang = name.split("-")[0]
    for fmt, file, media_type in DOWNLOADS:
        if f"{name}/{file}" in held:
            out["downloads"].append({"href": f"../{file}", "type": media_type, "hreflang": lang, "format": fmt})
    if len(out["editions"]) < 2:
        out["editions"] = []
    return out
