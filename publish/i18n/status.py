"""Turn records into counts: translated, stale and untranslated segments per file and in total."""
from __future__ import annotations

from dataclasses import dataclass

from .paralleltext import Record


@dataclass(frozen=True)
class Count:
    translated: int = 0
    stale: int = 0
    untranslated: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.stale + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    def __add__(self, other: "Count") -> "Count":
        return Count(self.translated + other.translated, self.stale + other.stale, self.untranslated + other.untranslated)


def is_stale(record: Record, english: dict[str, str] | None = None) -> bool:
    """Marked stale, or translated from other English than the manuscript's (`english`: id -> text)."""
    if record.state == "stale":
        return True
    return bool(english and record.target.strip() and record.id in english and english[record.id] != record.en)


def count(records: list[Record], english: dict[str, str] | None = None) -> Count:
    live = [r for r in records if r.state != "removed"]
    stale = sum(1 for r in live if is_stale(r, english))
    untranslated = sum(1 for r in live if not is_stale(r, english) and not r.target.strip())
    return Count(len(live) - stale - untranslated, stale, untranslated)


def table(records: dict[str, list[Record]], order: list[str], english: dict[str, str] | None = None) -> tuple[str, Count]:
    rows = [f"{'file':<24} {'translated':>10} {'stale':>6} {'untranslated':>12} {'done':>7}"]
    total = Count()
    for stem in order:
        c = count(records.get(stem, []), english)
        total += c
        rows.append(f"{stem:<24} {c.translated:>10} {c.stale:>6} {c.untranslated:>12} {c.percent:>6.1f}%")
    rows.append(f"{'total':<24} {total.translated:>10} {total.stale:>6} {total.untranslated:>12} {total.percent:>6.1f}%")
    return "\n".join(rows), total
