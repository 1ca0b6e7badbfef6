"""Turn old parallel-text records and the current English segments into new records, losing nothing.

Matching, in order: the same id with the same English; the same English under another id (moved);
the same id with changed English (kept, marked stale); the most similar unmatched translation
(split or reworded: kept, marked stale). A stale segment whose English is back to the English it
was translated from (`was:` equals `en:`) is current again. A translation that matches nothing is kept aside as
`removed`. No translation is ever dropped.
"""
from __future__ import annotations

from difflib import SequenceMatcher

from .paralleltext import Record
from .segments import Segment

SIMILAR = 0.6


def merge(old: dict[str, list[Record]], segments: list[Segment]) -> dict[str, list[Record]]:
    """Old records per file + current segments -> new records per file (active first, then removed)."""
    pool = [(file, r) for file, records in old.items() for r in records]
    used: set[int] = set()
    result: dict[int, Record] = {}

    def take(i: int, j: int, record: Record):
        used.add(j)
        result[i] = record

    live_by_id: dict[str, int] = {}
    by_en: dict[str, list[int]] = {}
    for j, (_, r) in enumerate(pool):
        if r.state != "removed":
            live_by_id.setdefault(r.id, j)
        by_en.setdefault(r.en, []).append(j)

    # 1. same id, same English: unchanged
    for i, seg in enumerate(segments):
        j = live_by_id.get(seg.id)
        if j is not None and pool[j][1].en == seg.text:
            take(i, j, pool[j][1].with_(line=0))
    # 2. same English elsewhere: moved (a translated candidate first)
    for i, seg in enumerate(segments):
        if i in result:
            continue
        candidates = sorted((j for j in by_en.get(seg.text, []) if j not in used), key=lambda j: not pool[j][1].target)
        if candidates:
            r = pool[candidates[0]][1]
            take(i, candidates[0], r.with_(id=seg.id, state="" if r.state == "removed" else r.state, line=0))
    # 3. same id, English changed: stale (or simply untranslated if never translated)
    for i, seg in enumerate(segments):
        j = live_by_id.get(seg.id)
        if i in result or j is None or j in used:
            continue
        r = pool[j][1]
        if r.target:
            take(i, j, Record(seg.id, seg.text, r.target, "stale", r.was or r.en))
        else:
            used.add(j)
    # 4. the most similar unmatched translation: split or reworded
    for i, seg in enumerate(segments):
        if i in result:
            continue
        best, score = None, SIMILAR
        for j, (_, r) in enumerate(pool):
            if j in used or not r.target:
                continue
            contained = len(seg.text) >= 20 and seg.text in r.en
            ratio = 0.99 if contained else SequenceMatcher(None, r.en, seg.text, autojunk=False).ratio()
            if ratio >= score:
                best, score = j, ratio
        if best is not None:
            r = pool[best][1]
            take(i, best, Record(seg.id, seg.text, r.target, "stale", r.was or r.en))
    out: dict[str, list[Record]] = {}
    for i, seg in enumerate(segments):
        out.setdefault(seg.file, []).append(_reverted(result.get(i, Record(seg.id, seg.text))))
    for j, (file, r) in enumerate(pool):
        if j not in used and r.target:
            out.setdefault(file, []).append(r.with_(state="removed", line=0))
    return out


def _reverted(record: Record) -> Record:
    """A stale record whose English went back to what it was translated from is not stale."""
    return record.with_(state="", was="") if record.state == "stale" and record.was == record.en else record
