"""Turn a parsed HTML document's text nodes into one string to search, and edits at its offsets back
into those nodes (a character replaced across an element boundary, one put after a word).

An element's text and each child's tail are the slots, in document order; the text of <head>,
<style> and <script> is left out. Offsets are into the slots' concatenation (`text(root)`), so a
phrase is found whatever inline markup (emphasis, a link, a note reference) sits between its words.
"""
from __future__ import annotations

_SKIPPED = ("head", "style", "script", "template")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def slots(root):
    """[(owner, "text" | "tail", parent, start offset)] of the document's text nodes, in order."""
    found, at = [], 0

    def walk(element, parent):
        nonlocal at
        if isinstance(element.tag, str) and _local(element.tag) not in _SKIPPED:
            found.append((element, "text", parent, at))
            at += len(element.text or "")
            for child in element:
                walk(child, element)
        if parent is not None:
            found.append((element, "tail", parent, at))
            at += len(element.tail or "")

    walk(root, None)
    return found


def text(root) -> str:
    return "".join(getattr(owner, attr) or "" for owner, attr, _, _ in slots(root))


def replace(root, start: int, end: int, new: str) -> None:
    """The characters [start, end) become `new`, put at the front of the text node that holds the
    character after them (inside the element that begins there, if one does): WeasyPrint 70 breaks a
    line at the first break of a text that ends in a no-break space before an element."""
    for owner, attr, _, at in slots(root):
        value = getattr(owner, attr) or ""
        low, high = max(start, at), min(end, at + len(value))
        if low < high:
            setattr(owner, attr, value[:low - at] + value[high - at:])
    for owner, attr, _, at in slots(root):
        value = getattr(owner, attr) or ""
        if at <= start < at + len(value):
            setattr(owner, attr, value[:start - at] + new + value[start - at:])
            return


def append(root, at: int, new: str) -> None:
    """`new` put right after the character at-1, in its text node (the end of a word stays in the
    text box that holds the word)."""
    for owner, attr, _, start in slots(root):
        value = getattr(owner, attr) or ""
        if start < at <= start + len(value):
            setattr(owner, attr, value[:at - start] + new + value[at - start:])
            return
