"""Colours chosen against each other: racers must stand out from the surface's colour map.

The surface uses a pale, low-saturation map (cream → sea-green → slate) so the racers,
drawn in the Okabe–Ito colour-blind-safe palette with dark outlines, never blend into it.
"""

from __future__ import annotations

# Okabe & Ito (2008) first, for the default race and the lecture's variants; then
# darker extras that still read on the pale map.
RACER_COLORS: dict[str, str] = {
    "sgd": "#000000",
    "momentum": "#009E73",
    "adagrad": "#E69F00",
    "rmsprop": "#0072B2",
    "adam": "#D55E00",
    "adam-lecture": "#CC79A7",
    "momentum-lecture": "#56B4E9",
    "nesterov": "#1B7837",
    "amsgrad": "#B2182B",
    "adamw": "#8C510A",
    "nadam": "#5E3C99",
    "adadelta": "#4D4D4D",
    "qhm": "#01665E",
    "qhadam": "#C51B7D",
}

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
