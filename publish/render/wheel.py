"""Turn a vertical edition's (縦書き) HTML page into one a desktop mouse wheel scrolls sideways: the
toolchain's own small script, added after the page was audited.

A vertical-rl page is one row of columns that scrolls right to left; a mouse wheel turns only up and
down, which such a page cannot go, so on a desktop the wheel did nothing (only Shift + wheel, the
scroll bar, the arrow keys or a trackpad moved it). The script turns a vertical wheel turn into the
sideways scroll of the element that scrolls sideways (the page, or the body on a narrow window), down
meaning on through the text, i.e. to the left. It is progressive enhancement: without it the page
reads and scrolls as before; a sideways gesture, a zoom (Ctrl + wheel), a Shift + wheel, and a wheel
over anything that scrolls up and down itself (a wide table) are left to the browser.

Only the HTML site gets it: a reading system paginates an EPUB itself, and a script would make the
EPUB "scripted" (publish.render.epub adds none). Like the language switch (publish.render.switch) it
is the toolchain's, never the book's: not read from any styles/ folder, and a template still may not
write a <script> (publish/audit.py).
"""
from __future__ import annotations

from .switch import at_body_end

WHEEL_JS = "vertical-wheel.js"
WHEEL_SOURCE = b"""/* publish: a mouse wheel scrolls a vertical (vertical-rl) page sideways, down = on = left. */
(function () {
  "use strict";
  function scrolls(el, axis) {
    var style = window.getComputedStyle(el), overflow = axis === "x" ? style.overflowX : style.overflowY;
    var room = axis === "x" ? el.scrollWidth - el.clientWidth : el.scrollHeight - el.clientHeight;
    return room > 1 && (overflow === "auto" || overflow === "scroll" || el === document.scrollingElement);
  }
  window.addEventListener("wheel", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.shiftKey || event.altKey || event.metaKey) { return; }
    if (Math.abs(event.deltaX) >= Math.abs(event.deltaY)) { return; }
    for (var el = event.target; el && el.nodeType === 1; el = el.parentElement) {
      if (el !== document.scrollingElement && scrolls(el, "y")) { return; }
      if (scrolls(el, "x") || el === document.documentElement) { break; }
    }
    if (!el || el.nodeType !== 1) { return; }
    if (el === document.documentElement || el === document.body) {
      el = scrolls(document.body, "x") ? document.body : document.scrollingElement;
    }
    var unit = event.deltaMode === 1 ? 40 : event.deltaMode === 2 ? el.clientWidth : 1;
    var before = el.scrollLeft;
    el.scrollLeft = before - event.deltaY * unit;
    if (el.scrollLeft !== before) { event.preventDefault(); }
  }, { passive: false });
})();
"""
TAG = f'<script src="{WHEEL_JS}"></script>\n'


def with_wheel(page: str) -> str:
    """The page with the script loaded at the end of its body; a page without </body> is returned unchanged."""
    return at_body_end(page, TAG)
