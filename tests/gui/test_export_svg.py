"""SVG exports render the same outside Qt: librsvg's picture matches the PNG export of the same scene.

The comparison, at 1280×720: both pictures reduced to 320×180 (box filter); then (a) the mean
absolute RGB difference (0…255) and (b) the share of pixels that differ by more than 48 in some
channel. Text is written as glyph outlines (``gui.export_svg``), so fonts do not differ. Measured
when this was written:

====================================================  ======  ============
case                                                  mean    share > 48
====================================================  ======  ============
race with the selected racer's arrows                 0.21    0.003 %
panels                                                1.16    0.07 %
whole window (English / Persian)                      1.49    0.23 / 0.15 %
race without the selected racer's arrows (a defect)   0.48    0.27 %
race with one racer's trail missing (a defect)        1.32    1.35 %
old files (non-scaling strokes in scaled groups)      42–64   26–49 %
====================================================  ======  ============

MAX_MEAN_DIFFERENCE = 3 sits between the noise (≤ 1.5) and a broken file (≥ 42). The share
catches what a mean cannot: 0.15 % for the race and the panels (twice the panels' noise, below
the missing arrows) and 0.5 % for the window, whose many widgets and text make more noise
(twice it, still below a missing trail).
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine.config import RacerConfig, SessionConfig
from gui.export import build_scene, drain, export, iter_export_widget
from gui.export_svg import drawn_runs, font_family_text, output_space_svg, transform_path

SIZE = (1280, 720)
MAX_MEAN_DIFFERENCE = 3.0
MAX_SHARE = 0.0015
MAX_SHARE_WINDOW = 0.005
RSVG = shutil.which("rsvg-convert")
needs_rsvg = pytest.mark.skipif(RSVG is None, reason="rsvg-convert (Debian librsvg2-bin) is not installed")


def rsvg_png(svg: Path, size: tuple[int, int]) -> Path:
    out = svg.with_name(svg.stem + "-rsvg.png")
    subprocess.run(
        [str(RSVG), "-w", str(size[0]), "-h", str(size[1]), "-b", "white", "-o", str(out), str(svg)],
        check=True,
        timeout=120,
    )
    return out


def difference(a: Path, b: Path) -> tuple[float, float]:
    """(mean absolute difference, share of pixels off by more than 48) at 320×180."""

    def small(path: Path) -> np.ndarray:
        with Image.open(path) as image:
            return np.asarray(image.convert("RGB").resize((320, 180), Image.Resampling.BOX), dtype=float)

    diff = np.abs(small(a) - small(b))
    return float(diff.mean()), float((diff.max(axis=-1) > 48).mean())


def assert_same_picture(png: Path, svg_png: Path, max_share: float = MAX_SHARE) -> None:
    mean, share = difference(png, svg_png)
    assert mean < MAX_MEAN_DIFFERENCE and share < max_share, (mean, share)


def assert_portable(svg: Path) -> list[str]:
    """No non-scaling strokes, no text that needs a font; returns the words kept as glyph titles."""
    text = svg.read_text(encoding="utf-8")
    assert "vector-effect" not in text
    root = ET.fromstring(text)
    assert not [e for e in root.iter() if e.tag.endswith("}text")]
    for family in {e.get("font-family") for e in root.iter() if e.get("font-family")}:
        assert family.endswith("sans-serif"), family  # only group defaults are left; with fallbacks
        assert "Sans Serif" not in family, family  # Qt's name, unknown to other programs
    words = [e.get("aria-label") for e in root.iter() if e.get("aria-label")]
    assert words, "the words are kept"
    return words


@pytest.fixture(scope="module")
def selected_scene(qapp):
    config = SessionConfig(
        loss="rosenbrock",
        start=(-1.2, 1.0),
        steps=300,
        racers=(
            RacerConfig("adagrad", {"lr": 0.5}),
            RacerConfig("rmsprop", {"lr": 0.01}),
            RacerConfig("adam", {"lr": 0.05}),
        ),
    )
    scene = build_scene(config)
    scene.selected = "adam"  # with −g, M, Δw arrows and the √G ellipse: the shapes that broke
    return scene


@needs_rsvg
@pytest.mark.parametrize("what", ["contour", "panels"])
def test_svg_renders_in_librsvg_like_the_png(selected_scene, tmp_path, what) -> None:
    png = export(selected_scene, tmp_path / f"{what}.png", what, size=SIZE)
    svg = export(selected_scene, tmp_path / f"{what}.svg", what, size=SIZE)
    assert_portable(svg)
    root = ET.parse(svg).getroot()
    assert (root.get("width"), root.get("height")) == ("1280", "720")
    assert_same_picture(png, rsvg_png(svg, SIZE))


@needs_rsvg
def test_whole_window_svg_renders_in_librsvg_like_the_png(window, qtbot, tmp_path) -> None:
    from tests.gui.test_export import run_race

    window.resize(1366, 768)
    run_race(window, qtbot, 60)
    size = (window.width(), window.height())
    drain(iter_export_widget(window, tmp_path / "w.png", size))
    drain(iter_export_widget(window, tmp_path / "w.svg", size))
    assert_portable(tmp_path / "w.svg")
    assert_same_picture(tmp_path / "w.png", rsvg_png(tmp_path / "w.svg", size), MAX_SHARE_WINDOW)


# -- the rewrite itself, without Qt ------------------------------------------------------------
QT_LIKE = b"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<svg width="100mm" height="50mm" viewBox="0 0 200 100" xmlns="http://www.w3.org/2000/svg" version="1.2">
<g fill="none" stroke="black">
<g stroke="#ff0000" stroke-width="2" transform="matrix(100,0,0,-50,10,90)" font-family="Sans Serif">
<polyline fill="none" vector-effect="non-scaling-stroke" points="0,0 1,1 " />
<circle vector-effect="non-scaling-stroke" cx="1" cy="0" r="0.1"/>
<text x="0" y="1" font-family="Vazirmatn" font-size="12">a</text>
</g>
<g stroke="#000000" transform="matrix(1,0,0,1,5,5)" font-family="Sans Serif">
<text fill="#111" xml:space="preserve" x="0" y="10" font-family="Sans Serif" font-size="12"> eps=1</text>
<text fill="#111" xml:space="preserve" x="36" y="10" font-family="Sans Serif" font-size="12">e-08</text>
<text fill="#111" xml:space="preserve" x="90" y="10" font-family="Sans Serif" font-size="12">L = 2</text>
</g>
<g transform="matrix(1,0,0,1,0,0)"></g>
</g>
</svg>"""


def test_non_scaling_strokes_move_to_output_space_and_the_rest_keeps_its_transform() -> None:
    out = ET.fromstring(
        output_space_svg(
            QT_LIKE,
            (400, 200),
            resolve_family=lambda _name: "DejaVu Sans",
            measure=lambda text, *_font: 6.0 * len(text),  # a monospaced stand-in for Qt's metrics
        )
    )
    ns = "{http://www.w3.org/2000/svg}"
    assert (out.get("width"), out.get("height"), out.get("viewBox")) == ("400", "200", "0 0 200 100")
    polyline = next(out.iter(ns + "polyline"))
    assert polyline.get("points") == "10,90 110,40"  # (0,0) and (1,1) through the matrix
    assert polyline.get("transform") is None and polyline.get("vector-effect") is None
    circle = [p for p in out.iter(ns + "path")]
    assert len(circle) == 1 and circle[0].get("d").startswith("M120,90")  # (1.1, 0) → (120, 90)
    texts = list(out.iter(ns + "text"))
    assert texts[0].get("transform") == "matrix(100,0,0,-50,10,90)"  # text scales with its group
    assert texts[1].text == " eps=1e-08"  # one run: a wider font cannot overlap its halves
    assert texts[2].text == "L = 2"  # another table cell: not touching, kept apart
    assert texts[1].get("transform") == "matrix(1,0,0,1,5,5)"
    assert all(g.get("transform") is None for g in out.iter(ns + "g"))
    assert len(list(out.iter(ns + "g"))) == 3  # the empty group is gone


def test_path_data_through_a_matrix() -> None:
    assert transform_path("M0,0 L1,2 C1,1 2,2 3,3 Z", (2, 0, 0, -1, 1, 1)) == "M1,1 L3,-1 C3,0 5,-1 7,-2 Z"
    with pytest.raises(ValueError, match="'A'"):
        transform_path("M0,0 A1,1 0 0 1 2,2", (1, 0, 0, 1, 0, 0))


def test_font_names_get_fallbacks_other_machines_have() -> None:
    assert font_family_text("Sans Serif", lambda _n: "DejaVu Sans") == "'DejaVu Sans', sans-serif"
    assert font_family_text("Vazirmatn", lambda n: n) == "'Vazirmatn', 'DejaVu Sans', sans-serif"
    assert font_family_text("Sans Serif", lambda _n: "Segoe UI") == "'Segoe UI', 'DejaVu Sans', sans-serif"


def test_text_can_become_glyph_outlines_that_keep_the_words() -> None:
    calls = []

    def glyphs(text, family, size, weight, style, x, y):
        calls.append((text, family, size, x, y))
        return f"M{x},{y} L{x + 5},{y}"

    out = ET.fromstring(output_space_svg(QT_LIKE, text_path=glyphs))
    ns = "{http://www.w3.org/2000/svg}"
    assert not list(out.iter(ns + "text"))
    assert ("a", "Vazirmatn", 12.0, 0.0, 1.0) in calls
    labelled = {p.get("aria-label"): p for p in out.iter(ns + "path") if p.get("aria-label")}
    assert set(labelled) == {"a", "eps=1", "e-08", "L = 2"}
    assert labelled["a"].get("transform") == "matrix(100,0,0,-50,10,90)"
    assert labelled["a"].find(ns + "title").text == "a"
    assert labelled["e-08"].get("d") == "M36.0,10.0 L41.0,10.0" and labelled["e-08"].get("stroke") == "none"


def test_an_export_draws_cached_items_afresh_and_gives_their_cache_back(qtbot) -> None:
    """The readout and the arrows' labels are cached as screen pixmaps in the window; an export
    through those wrote them into the SVG as bitmaps, without their words (the Persian export
    test in tests/cli lost "گام 30")."""
    from PySide6.QtWidgets import QGraphicsItem

    from gui.export import _uncached
    from gui.views.contour import ContourView

    view = ContourView()
    qtbot.addWidget(view)
    none = QGraphicsItem.CacheMode.NoCache
    cached = [item for item in view.scene().items() if item.cacheMode() != none]
    modes = [item.cacheMode() for item in cached]
    assert len(cached) >= 2  # the readout's text and the surface at least
    with _uncached(view):
        assert all(item.cacheMode() == none for item in view.scene().items())
    assert [item.cacheMode() for item in cached] == modes


# Runs as QSvgGenerator wrote them for the Persian panels' key (Qt 6.11): "تکانه (درس)" and
# "Adam (درس)", each in a right-to-left embedding, then the settings in LRM marks. Qt draws a
# right-to-left run from right to left with brackets mirrored; the file holds its characters.
KEY_RUNS = [
    " ",
    "\u202b",
    "تکانه",
    " (",
    "درس",
    ")",
    "\u202c",
    " ",
    "\u200e",
    "(",
    "η=0.02, α=0.9)",
    "\u200e",
]
ADAM_RUNS = [
    " ",
    "\u202b",
    "درس",
    ")",
    " (",
    "Adam",
    "\u202c",
    " ",
    "\u200e",
    "(",
    "η=0.01, α=0.9)",
    "\u200e",
]


def test_brackets_in_right_to_left_runs_are_outlined_as_qt_drew_them() -> None:
    """Outlined as written, the brackets of "تکانه (درس)" came out "تکانه) درس(" in librsvg; a
    neutral run takes the direction of its strong neighbours when they agree, else the line's."""
    drawn = drawn_runs(KEY_RUNS, rtl=True)
    assert drawn[3:6] == [") ", "درس", "("]  # right to left: reversed, each bracket mirrored
    assert drawn[9] == "("  # the settings' bracket, after an LRM: left to right, as written
    assert [t for i, t in enumerate(drawn) if i not in (3, 5)] == [
        t for i, t in enumerate(KEY_RUNS) if i not in (3, 5)
    ]
    assert drawn_runs(ADAM_RUNS, rtl=True)[3:5] == ["(", ") "]  # between Adam and درس: the line's
    # a Persian name typed in an English window: "(" between two right-to-left words is one of
    # them; ")" before the left-to-right line's end is not
    assert drawn_runs(["تکانه", " (", "درس", ")", " x"], rtl=False) == ["تکانه", ") ", "درس", ")", " x"]
    # between Latin letters: as written
    assert drawn_runs(["f", "(", "x", ")", "y"], rtl=True) == ["f", "(", "x", ")", "y"]


def test_neutral_runs_qt_drew_right_to_left_are_outlined_reversed() -> None:
    """The runs Qt 6.11 wrote for a Persian title and the legend's last row. Outlined as
    written, rsvg drew "10): بدحالت" for Qt's "10) :بدحالت" and "□شروع" for "□ شروع";
    the ": " before the formula's isolate is outside it (neutral), as is "□ " before "شروع"."""
    title = ["\u2069", "L = (w1² + ", "κ·", "w2²)/2 (condition = 10)", "کاسهٔ", " ", "بدحالت", ": \u2066"]
    assert drawn_runs(title, rtl=True) == [*title[:-1], "\u2066 :"]
    key = ["□ ", "شروع", " \xa0 ", "☆", " ", "کمینه", " \xa0 ● ", "نقطهٔ", " ", "کنونی"]
    drawn = drawn_runs(key, rtl=True)
    assert drawn[0] == " □" and drawn[6] == " ● \xa0 "
    assert [t for i, t in enumerate(drawn) if i not in (0, 6)] == [
        t for i, t in enumerate(key) if i not in (0, 6)
    ]
    assert drawn_runs(["a", ": ", "b"], rtl=True) == ["a", ": ", "b"]  # between Latin: as written


def test_each_run_is_outlined_with_the_characters_qt_drew_and_keeps_its_words() -> None:
    runs = "".join(
        f'<text x="{10 * i}" y="10" font-family="Vazirmatn" font-size="12">{t}</text>'
        for i, t in enumerate(KEY_RUNS)
    )
    data = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10">'
        f"<g>{runs}</g></svg>"
    ).encode()
    asked: list[str] = []

    def glyphs(text: str, *_: object) -> str:
        asked.append(text)
        return "M0,0L1,1"

    out = ET.fromstring(output_space_svg(data, text_path=glyphs, rtl=True))
    assert asked == drawn_runs(KEY_RUNS, rtl=True)
    words = [e.get("aria-label") for e in out.iter() if e.get("aria-label")]
    assert "(" in words and ")" in words  # the words as written, not as drawn
