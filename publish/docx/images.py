"""Turn a Word image (pandoc AST) into a manuscript figure `![caption](images/x.png "alt")`, its file to save."""
from __future__ import annotations

import posixpath
import re

from .reading import stringify


def image(mapper, node, caption: str | None) -> str:
    _attr, alt_nodes, (src, title) = node["c"]
    alt = " ".join((stringify(alt_nodes) or title or "").split())
    base = re.sub(r"[^A-Za-z0-9._-]", "-", posixpath.basename(src)) or "image"
    name = f"images/{mapper.slug}-{base}"
    mapper.chapter.images.append((src, name))
    if not alt:
        mapper.report(f"an image ({posixpath.basename(src)}) without alternative text: write it in Word (right-click, "
                      "View Alt Text) and import again", "image-alt")
    title = alt.replace("\\", "\\\\").replace('"', '\\"')
    return f"![{caption or ''}]({name} \"{title}\")"
