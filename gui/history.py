"""How views pick the rows they draw; each racer's record itself is the engine's ``RacerRecord``.

``RacerHistory`` is the engine's ``engine.record.RacerRecord`` under the name views and tests
have used: the record lives with the race model (``engine.race.RaceRecord``), not in the GUI.
"""

from __future__ import annotations

from engine.record import DRAW_ROWS, SLACK, VECTOR_NAMES
from engine.record import RacerRecord as RacerHistory

#: The per-weight recorded arrays (engine.record declares them all).
FIELDS_2D = VECTOR_NAMES
DEFAULT_MAX_ROWS = DRAW_ROWS

__all__ = ["DEFAULT_MAX_ROWS", "FIELDS_2D", "SLACK", "RacerHistory", "display_stride"]


def display_stride(rows: int, max_points: int) -> int:
    """Every k-th of ``rows`` rows so a view draws at most about ``max_points`` of them.

    The contour's trails and the per-weight plots pick their rows with the same rule.
    """
    return rows // max_points + 1
