"""Measure Japanese punctuation pairs in a page open in Chromium (Playwright): the advance of every two
adjacent marks that JLREQ 3.1.4 sets with half an em between them (publish.render.jlreq.halted), in ems."""
from __future__ import annotations

from publish.render.jlreq import CLOSING, OPENING, STOPS

#: In the page: [[the pair, its advance in ems, the advance JLREQ gives it, the text around it], ...] for
#: every pair of adjacent marks of Japanese text set on one line (a pair broken across two lines is left
#: out), horizontal or vertical. JLREQ's advance: 1.5 em (one mark half-width), 1 em where the other mark
#: is half-width too for the pair on its other side (）、「: ） and 、 both half, nothing between them).
PAIRS = """([OPEN, CLOSE, STOPS]) => {
  const halted = (a, b) => ((CLOSE + STOPS).includes(a) && (OPEN + CLOSE + STOPS).includes(b)) ? 0
                        : (OPEN.includes(a) && OPEN.includes(b)) ? 1 : null;
  const BLOCKS = 'p, li, dd, dt, h1, h2, h3, h4, h5, h6, td, th, figcaption, caption, blockquote';
  const vertical = getComputedStyle(document.body).writingMode.startsWith('vertical');
  const box = (x) => { const r = document.createRange(); r.setStart(x.n, x.i); r.setEnd(x.n, x.i + 1);
                       return r.getBoundingClientRect(); };
  const out = [];
  for (const block of document.querySelectorAll(BLOCKS)) {
    const chars = [];
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (parent.closest(BLOCKS) !== block || parent.closest('rt, rp') || !parent.getClientRects().length) continue;
      const lang = (parent.closest('[lang]') || document.documentElement).lang;
      for (let i = 0; i < n.data.length; i++) {
        if (n.data[i] !== '\\u2060') chars.push({n, i, c: n.data[i], ja: lang.startsWith('ja')});
      }
    }
    // which marks JLREQ sets half-width (publish/render/jlreq.py): one of each pair, and a block's first bracket
    const first = chars.find(x => !/\\s/.test(x.c));
    if (first && first.ja && OPEN.includes(first.c)) first.half = true;
    const found = [];
    chars.forEach((ch, k) => {
      const prev = chars[k - 1];
      if (!prev || /\\s/.test(prev.c) || /\\s/.test(ch.c) || !prev.ja || !ch.ja) return;
      const which = halted(prev.c, ch.c);
      if (which === null) return;
      (which === 0 ? prev : ch).half = true;
      found.push([prev, ch, k]);
    });
    for (const [a, b, k] of found) {
      const ra = box(a), rb = box(b), style = getComputedStyle(b.n.parentElement);
      const em = parseFloat(style.fontSize), spacing = parseFloat(style.letterSpacing) || 0;
      const sameLine = vertical ? Math.abs(ra.left - rb.left) < em / 2 : Math.abs(ra.top - rb.top) < em / 2;
      if (!sameLine) continue;
      const advance = (vertical ? rb.bottom - ra.top : rb.right - ra.left) - 2 * spacing;
      const expected = (a.half ? 0.5 : 1) + (b.half ? 0.5 : 1);
      const around = chars.slice(Math.max(0, k - 6), k + 5).map(x => x.c).join('');
      out.push([a.c + b.c, Math.round(advance / em * 100) / 100, expected, around]);
    }
  }
  return out;
}"""


def pairs(page) -> list[tuple[str, float, float, str]]:
    """(the two marks, their advance in ems, JLREQ's, the text around them) for every pair on the open page."""
    return [tuple(p) for p in page.evaluate(PAIRS, [OPENING, CLOSING, STOPS])]


def full_em(measured) -> list:
    """The pairs with a full em between them where JLREQ gives half (never compressed)."""
    return [p for p in measured if p[-3] > p[-2] + 0.3]


def stacked(measured) -> list:
    """The pairs compressed twice, half an em short of JLREQ (the spans' half width and the browser's own trimming)."""
    return [p for p in measured if p[-3] < p[-2] - 0.3]
