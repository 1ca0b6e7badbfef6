"""Turn a served HTML page into a live preview page: a bar (the PDF and its build time, the build's
errors) and a small script that reloads the page when a build succeeds, added only to the bytes sent
by `publish serve` (publish/serve.py), never to a file in build/."""
from __future__ import annotations

import html
import re

STYLE = """
#publish-preview{position:fixed;inset:auto 0 0 0;z-index:2147483647;font:14px/1.4 system-ui,sans-serif;
 background:#1d2330;color:#fff;padding:.4em .8em;box-shadow:0 -1px 4px #0006}
#publish-preview a{color:#9cf}
#publish-preview pre{white-space:pre-wrap;margin:.4em 0 0;background:#5a1111;padding:.5em;max-height:40vh;overflow:auto}
#publish-preview pre:empty{display:none}
"""

SCRIPT = """
(function () {
  var version = %(version)d, serial = %(serial)d, bar = document.getElementById("publish-preview");
  function show(state) {
    var pdf = bar.querySelector("[data-pdf]"), errors = bar.querySelector("pre");
    pdf.textContent = state.pdf.text;
    if (state.pdf.url) { var a = document.createElement("a"); a.href = state.pdf.url;
      a.textContent = state.pdf.link; pdf.append(" ", a); }
    errors.textContent = state.errors.join("\\n");
  }
  function poll() {
    fetch("/__publish/version?since=" + serial, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (state) {
        if (state.version !== version && !state.errors.length) { location.reload(); return; }
        serial = state.serial; show(state); setTimeout(poll, 50);
      }, function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""

BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def bar(state: dict) -> bytes:
    """The preview bar and its script, as HTML (every text escaped); `state` as /__publish/version gives it."""
    pdf, errors = state["pdf"], state["errors"]
    link = f' <a href="{html.escape(pdf["url"])}">{html.escape(pdf["link"])}</a>' if pdf.get("url") else ""
    return (f'<div id="publish-preview" role="status" aria-label="Preview">'
            f'<span data-pdf="">{html.escape(pdf["text"])}{link}</span>'
            f'<pre role="alert">{html.escape(chr(10).join(errors))}</pre></div>'
            f'<style>{STYLE}</style><script>{SCRIPT % state}</script>').encode()


def inject(page: bytes, state: dict) -> bytes:
    """`page` with the preview bar before its </body> (at its end if it has none)."""
    added = bar(state)
    found = None
    for found in BODY_END.finditer(page):
        pass
    return page[:found.start()] + added + page[found.start():] if found else page + added


def error_page(state: dict) -> bytes:
    """What is served when no build has succeeded yet: the errors."""
    page = b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>publish serve</title></head>' \
           b"<body><h1>The book could not be built</h1></body></html>"
    return inject(page, state)
