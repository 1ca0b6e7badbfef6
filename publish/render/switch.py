"""Turn a rendered bilingual page into one whose language choice persists across pages: the
toolchain's own small script, added after the page was audited.

The switch itself is radio buttons and CSS (`body:has(#show-o:checked)`): without JavaScript every
page shows both languages and the switch still works on the page. The script only remembers the
choice (localStorage, one key per site folder) and restores it on the next page. It is the
toolchain's, never the book's: it is not read from any styles/ folder, and a template still may
not write a <script> (publish/audit.py); this one is added to the page after the audit.
"""
from __future__ import annotations

SWITCH_JS = "language-switch.js"
SWITCH_SOURCE = b"""/* publish: remember the bilingual edition's language choice across its pages. */
(function () {
  "use strict";
  var key = "publish-show:" + location.pathname.replace(/[^\\/]*$/, "");
  var radios = document.querySelectorAll('.language-switch input[name="show"]');
  var stored = null;
  try { stored = window.localStorage.getItem(key); } catch (e) { return; }
  for (var i = 0; i < radios.length; i++) {
    var radio = radios[i];
    if (stored !== null && radio.value === stored) { radio.checked = true; }
    radio.addEventListener("change", function (event) {
      if (event.target.checked) {
        try { window.localStorage.setItem(key, event.target.value); } catch (e) { /* private mode */ }
      }
    });
  }
})();
"""
TAG = f'<script src="{SWITCH_JS}"></script>\n'


def at_body_end(page: str, tag: str) -> str:
    """The page with `tag` (a toolchain script's) just before its </body>; without one, unchanged."""
    at = page.rfind("</body>")
    return page if at < 0 else page[:at] + tag + page[at:]


def with_switch(page: str) -> str:
    """The page with the script loaded at the end of its body (after the switch it restores);
    a page without a language switch or without </body> is returned unchanged."""
    return at_body_end(page, TAG) if 'name="show"' in page else page
