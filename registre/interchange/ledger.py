"""Where every filled cell of an imported file went: a field, a note, or nowhere (reported).

Readers mark each cell they use; a cell nobody marked is **lost**, and the report says so with
its place. « Sans objet » and the template's prompts are not data and are counted apart; a
column the user chose to ignore is counted as ignored.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

FIELD = "field"
NOTE = "note"
IGNORED = "ignored"
PLACEHOLDER = "placeholder"
KEPT = "kept"  # an organisation detail that differs from the register, which keeps its own
TITLE = "title"  # the document's own title, above the table
_RANK = {NOTE: 6, FIELD: 5, KEPT: 4, IGNORED: 3, TITLE: 2, PLACEHOLDER: 1}
MAX_LOST_PLACES = 20


@dataclass
class Ledger:
    """Counts of the filled cells of one file, by what became of them."""

    file: str
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((FIELD, NOTE, IGNORED, PLACEHOLDER, KEPT, TITLE), 0)
    )
    lost: int = 0
    lost_places: list[str] = field(default_factory=list)

    @property
    def filled(self) -> int:
        """Cells holding data (placeholders such as « Sans objet » are not data)."""
        data = (FIELD, NOTE, IGNORED, KEPT, TITLE)
        return sum(self.counts[disposition] for disposition in data) + self.lost

    def add(self, disposition: str, count: int = 1) -> None:
        """Count ``count`` cells that went to ``disposition``."""
        self.counts[disposition] += count

    def move(self, source: str, target: str) -> None:
        """One cell counted under ``source`` turned out to go to ``target``."""
        self.counts[source] -= 1
        self.counts[target] += 1

    def tally(self) -> Tally:
        """A tally for one row or one sheet, added to this ledger when it is closed."""
        return Tally(self)

    def text(self, lang: str = "fr") -> str:
        """« 120 cellules non vides, 100 reprises dans des champs, 20 en notes, 0 perdues »."""
        counts = self.counts
        if lang == "en":
            line = (
                f"{self.filled} filled cells, {counts[FIELD]} in fields, {counts[NOTE]} in "
                f"notes, {self.lost} lost"
            )
            extras = [
                (counts[IGNORED], "ignored as you chose"),
                (counts[TITLE], "the document's title above the table, not imported"),
                (counts[KEPT], "differing from the register, which keeps its own"),
                (counts[PLACEHOLDER], "“not applicable” and the like, left aside"),
            ]
        else:
            line = (
                f"{self.filled} cellules non vides, {counts[FIELD]} reprises dans des champs, "
                f"{counts[NOTE]} en notes, {self.lost} perdues"
            )
            extras = [
                (counts[IGNORED], "ignorées à votre demande"),
                (counts[TITLE], "titre du document au-dessus du tableau, non repris"),
                (counts[KEPT], "différentes du registre, qui garde les siennes"),
                (counts[PLACEHOLDER], "« sans objet » et semblables, écartées"),
            ]
        more = "; ".join(f"{number} {text}" for number, text in extras if number)
        if more:
            line += f" ({more})"
        if self.lost_places:
            places = ", ".join(self.lost_places)
            line += f" — {'lost' if lang == 'en' else 'perdues'} : {places}"
        return line


class Tally:
    """What became of the cells of one row or sheet: the best use of each cell counts."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.marks: dict[Hashable, str] = {}

    def mark(self, cell: Hashable, disposition: str) -> None:
        """Record that (part of) ``cell`` went to ``disposition``."""
        previous = self.marks.get(cell)
        if previous is None or _RANK[disposition] > _RANK[previous]:
            self.marks[cell] = disposition

    def close(self, filled: Iterable[Hashable], place: object) -> None:
        """Add the marks to the ledger; filled cells without a mark are lost.

        ``place(cell)`` names a lost cell for the report.
        """
        ledger = self.ledger
        for cell in filled:
            disposition = self.marks.get(cell)
            if disposition is None:
                ledger.lost += 1
                if len(ledger.lost_places) < MAX_LOST_PLACES:
                    ledger.lost_places.append(str(place(cell)) if callable(place) else str(cell))
            else:
                ledger.counts[disposition] += 1
        self.marks.clear()


def note_line(title: str, value: str) -> str:
    """One line of the « Informations reprises de l'ancien registre » note."""
    return f"{title.strip()} : {value.strip()}"
