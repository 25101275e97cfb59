"""Colours chosen against each other: racers must stand out from the surface's colour map.

The surface uses a pale, low-saturation map (cream → sea-green → slate) so the racers,
drawn in the Okabe–Ito colour-blind-safe palette with dark outlines, never blend into it.
"""

from __future__ import annotations

from engine.optimizers import OPTIMIZERS

#: Each optimizer's colour, from its registry entry (engine.optimizers): Okabe & Ito (2008) first,
#: for the default race and the lecture's variants; then darker extras that still read on the pale map.
RACER_COLORS: dict[str, str] = {o.id: o.color for o in OPTIMIZERS.values()}

#: Colour-map stops for the loss, low (pale) to high (slate).
SURFACE_STOPS = (
    (0.0, (252, 251, 240)),
    (0.25, (226, 238, 222)),
    (0.5, (186, 214, 212)),
    (0.75, (140, 170, 186)),
    (1.0, (96, 112, 140)),
)
CONTOUR_PEN = (70, 80, 100, 110)
MINIMUM_COLOR = "#202020"
START_COLOR = "#202020"


def racer_color(optimizer_id: str) -> str:
    """A fixed colour per optimizer, so a racer keeps its colour across runs and exports."""
    return RACER_COLORS.get(optimizer_id, "#333333")
