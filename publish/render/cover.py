"""Turn a book's metadata into its cover image: typography only (series, title, subtitle, authors,
editors, translators, publisher) in Noto Serif, as PNG bytes. No artwork is invented."""
from __future__ import annotations

import io
import re
from pathlib import Path

from .. import model as m
from .credits import credit_lines

#: Han, kana, Hangul and CJK punctuation: text that must carry its own language.
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")

COVER = {"size": (1200, 1800), "margin": 110, "background": "#0b4f71", "ink": "#ffffff", "soft": "#d6e4ec"}
FONT_FILES = {"bold": ("NotoSerif-Bold.ttf", "NotoSerifCJK-Bold.ttc"),
              "regular": ("NotoSerif-Regular.ttf", "NotoSerifCJK-Regular.ttc"),
              "italic": ("NotoSerif-Italic.ttf", "NotoSerifCJK-Regular.ttc")}
FONT_DIRS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto",
             "/usr/local/share/fonts")
CJK_FACES = {"ja": "JP", "zh-Hant": "TC", "zh-Hans": "SC", "zh": "SC", "ko": "KR"}
NO_LINE_START = set("、。，．・：；？！」』）〕］｝〉》】ー々")


def cover_lines(book: m.Book, labels: dict, translated: m.Book | None = None) -> list[tuple[str, str]]:
    """(role, text) of each line of the cover, top to bottom; `translated`: a bilingual edition's
    translation, whose title and subtitle follow the original's."""
    lines = [("series", book.series), ("title", book.title), ("subtitle", book.subtitle)]
    if translated is not None:
        lines += [("title-t", translated.title), ("subtitle-t", translated.subtitle)]
    lines += [(credit["cls"], credit["text"]) for credit in credit_lines(book, labels)
              if credit["cls"] in ("authors", "editors", "translators")]
    lines.append(("publisher", book.publisher))
    return [(role, text) for role, text in lines if text]


def font(kind: str, size: int, language: str = "", cjk: bool = False):
    """Noto Serif (OFL, Debian fonts-noto-core / fonts-noto-cjk) in a style; CJK text gets the
    CJK face of its language. Pillow's own font when none is installed."""
    from PIL import ImageFont

    for folder in FONT_DIRS:
        path = Path(folder) / FONT_FILES[kind][1 if cjk else 0]
        if not path.is_file():
            continue
        if path.suffix == ".ttc":
            want = "Noto Serif CJK " + CJK_FACES.get(language, CJK_FACES.get(language.split("-")[0], "JP"))
            for index in range(12):
                try:
                    face = ImageFont.truetype(str(path), size, index=index)
                except OSError:
                    break
                if face.getname()[0] == want:
                    return face
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def wrap(draw, text: str, face, width: int) -> list[str]:
    """Greedy lines of at most `width` pixels: breaks between words, and between CJK characters
    (never before closing punctuation)."""
    tokens = re.findall(r"\s+|" + CJK.pattern + r"|[^\s" + CJK.pattern[1:-1] + r"]+", text)
    lines, line = [], ""
    for token in tokens:
        trial = line + token
        if line.strip() and not token.isspace() and token not in NO_LINE_START \
                and draw.textlength(trial.strip(), font=face) > width:
            lines.append(line.strip())
            line = token
        else:
            line = trial
    return lines + ([line.strip()] if line.strip() else [])


def cover_png(book: m.Book, labels: dict, translated: m.Book | None = None) -> bytes:
    """A typographic cover (series, title, subtitle, the translation's title and subtitle when
    `translated` is given, editors, publisher) as PNG bytes."""
    from PIL import Image, ImageDraw

    (w, h), margin = COVER["size"], COVER["margin"]
    image = Image.new("RGB", (w, h), COVER["background"])
    draw = ImageDraw.Draw(image)
    width = w - 2 * margin
    text = dict(cover_lines(book, labels, translated))

    def face_for(kind, size, role):
        return font(kind, size, book.language, bool(CJK.search(text.get(role, ""))))

    y = margin
    if "series" in text:
        face = face_for("regular", 40, "series")
        series = text["series"] if CJK.search(text["series"]) else text["series"].upper()
        for line in wrap(draw, series, face, width):
            draw.text((margin, y), line, font=face, fill=COVER["soft"])
            y += 56
        y += 24
        draw.line((margin, y, margin + 200, y), fill=COVER["soft"], width=4)
        y += 120
    size = 124
    while size > 48:  # the largest title size that fits in four lines
        face = face_for("bold", size, "title")
        title = wrap(draw, text["title"], face, width)
        if len(title) <= 4:
            break
        size -= 8
    for line in title:
        draw.text((margin, y), line, font=face, fill=COVER["ink"])
        y += int(size * 1.18)
    if "subtitle" in text:
        y += 40
        face = face_for("italic", 64, "subtitle")
        for line in wrap(draw, text["subtitle"], face, width):
            draw.text((margin, y), line, font=face, fill=COVER["ink"])
            y += 82
    for role, size, kind in (("title-t", 72, "bold"), ("subtitle-t", 48, "regular")):
        if role in text:  # the bilingual edition: the translation's title under the original's
            y += 56 if role == "title-t" else 16
            face = face_for(kind, size, role)
            for line in wrap(draw, text[role], face, width):
                draw.text((margin, y), line, font=face, fill=COVER["ink"])
                y += int(size * 1.3)
    bottom = h - margin
    face = face_for("bold", 50, "publisher")
    draw.text((margin, bottom), text["publisher"].upper(), font=face, fill=COVER["ink"], anchor="ls")
    credits = [(face_for("regular", 44, role), role) for role in ("authors", "editors", "translators") if role in text]
    lines = [(face, line) for face, role in credits for line in wrap(draw, text[role], face, width)]
    y = bottom - 110 - 60 * (len(lines) - 1)
    for face, line in lines:
        draw.text((margin, y), line, font=face, fill=COVER["soft"], anchor="ls")
        y += 60
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()
