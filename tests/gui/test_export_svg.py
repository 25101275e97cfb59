"""SVG exports render the same outside Qt: librsvg's picture matches the PNG export of the same scene.

The comparison: both pictures reduced to 320×180 (box filter); then (a) the mean absolute RGB
difference (0…255) and (b) the share of pixels that differ by more than 48 in some channel.
Measured when this was written (race with the selected racer's arrows / panels / whole window):

=====================================================  ==========  ============
case                                                   mean        share > 48
=====================================================  ==========  ============
correct SVGs (anti-aliasing and hinting differ)        0.7 – 1.8   0.3 – 0.43 %
the race without the selected racer's arrows           1.8         1.5 %
the race with one racer's trail missing                3.1         3.1 %
old SVGs (non-scaling strokes in scaled groups)        42 – 64     26 – 49 %
=====================================================  ==========  ============

So MAX_MEAN_DIFFERENCE = 3 (above the noise, far below a broken file) and MAX_SHARE = 1 %
(2.3× the noise, yet a missing arrow set or trail fails it).
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
from gui.export_svg import font_family_text, output_space_svg, transform_path

SIZE = (1280, 720)
MAX_MEAN_DIFFERENCE = 3.0
MAX_SHARE = 0.01
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


def assert_same_picture(png: Path, svg_png: Path) -> None:
    mean, share = difference(png, svg_png)
    assert mean < MAX_MEAN_DIFFERENCE and share < MAX_SHARE, (mean, share)


def assert_portable(svg: Path) -> None:
    text = svg.read_text(encoding="utf-8")
    assert "vector-effect" not in text
    root = ET.fromstring(text)
    families = {e.get("font-family") for e in root.iter() if e.get("font-family")}
    assert families, "no text in the SVG"
    for family in families:
        assert family.endswith("sans-serif"), family
        assert "Sans Serif" not in family, family  # Qt's name, unknown to other programs


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
    assert_same_picture(tmp_path / "w.png", rsvg_png(tmp_path / "w.svg", size))


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
<text fill="#111" xml:space="preserve" x="40" y="10" font-family="Sans Serif" font-size="12">e-08</text>
</g>
<g transform="matrix(1,0,0,1,0,0)"></g>
</g>
</svg>"""


def test_non_scaling_strokes_move_to_output_space_and_the_rest_keeps_its_transform() -> None:
    out = ET.fromstring(output_space_svg(QT_LIKE, (400, 200), resolve_family=lambda name: "DejaVu Sans"))
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
