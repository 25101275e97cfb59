"""Level lines for the contour view: exact on planes, right at saddles, honest at holes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine.contours import N_LEVELS, level_lines, surface_picture


def _grid(nx: int = 31, ny: int = 23) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    xs = np.linspace(-2.0, 3.0, nx)
    ys = np.linspace(-1.5, 1.0, ny)
    x, y = np.meshgrid(xs, ys)
    return xs, ys, x, y


def _pieces(lines: np.ndarray) -> list[np.ndarray]:
    """The separate polylines of a NaN-separated array."""
    gaps = np.flatnonzero(np.isnan(lines[:, 0]))
    pieces = (part[np.isfinite(part[:, 0])] for part in np.split(lines, gaps))
    return [piece for piece in pieces if len(piece)]


def _edges(lines: np.ndarray) -> set[frozenset[tuple[float, float]]]:
    """Each drawn piece of line between two consecutive vertices, as a set (order-free)."""
    out = set()
    for piece in _pieces(lines):
        for a, b in itertools.pairwise(piece):
            if not np.array_equal(a, b):
                out.add(frozenset((tuple(np.round(a, 12)), tuple(np.round(b, 12)))))
    return out


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(-5, 5).filter(lambda v: abs(v) > 1e-3),
    b=st.floats(-5, 5),
    level=st.floats(-3, 3),
)
def test_on_a_plane_every_vertex_lies_on_the_line_and_each_crossed_cell_has_one_piece(
    a: float, b: float, level: float
) -> None:
    xs, ys, x, y = _grid()
    z = a * x + b * y
    # a line through (or within rounding of) grid points touches cells without crossing them
    assume(not np.any(np.isclose(z, level, rtol=0, atol=1e-9)))
    lines = level_lines(xs, ys, z, np.array([level]))
    ends = lines[np.isfinite(lines[:, 0])]
    np.testing.assert_allclose(a * ends[:, 0] + b * ends[:, 1], level, atol=1e-9 * (1 + abs(level)))
    above = (z > level).astype(int)
    corners = above[:-1, :-1] + above[:-1, 1:] + above[1:, 1:] + above[1:, :-1]
    crossed = int(np.count_nonzero((corners > 0) & (corners < 4)))
    # a straight line through the grid: one polyline, one piece per crossed cell
    assert len(_pieces(lines)) == (1 if crossed else 0)
    assert len(_edges(lines)) == crossed
    tiny = 1e-12  # interpolation on a boundary edge may round a last bit outside
    inside_x = (ends[:, 0] >= xs[0] - tiny) & (ends[:, 0] <= xs[-1] + tiny)
    assert np.all(inside_x & (ends[:, 1] >= ys[0] - tiny) & (ends[:, 1] <= ys[-1] + tiny))


def test_on_a_bowl_vertices_sit_on_cell_edges_where_the_edge_interpolates_to_the_level() -> None:
    xs, ys, x, y = _grid(41, 37)
    z = x**2 + 3 * y**2
    lines = level_lines(xs, ys, z, np.array([1.0]))
    pieces = _pieces(lines)
    assert len(pieces) == 1, "the ellipse is one closed line"
    np.testing.assert_array_equal(pieces[0][0], pieces[0][-1])
    assert len(pieces[0]) > 20
    for px, py in pieces[0]:
        on_x = np.flatnonzero(np.isclose(xs, px, rtol=0, atol=1e-12))
        on_y = np.flatnonzero(np.isclose(ys, py, rtol=0, atol=1e-12))
        if on_x.size:  # on a vertical edge: interpolate along y
            i = on_x[0]
            j = min(int(np.searchsorted(ys, py, side="right")) - 1, ys.size - 2)
            t = (py - ys[j]) / (ys[j + 1] - ys[j])
            value = z[j, i] + t * (z[j + 1, i] - z[j, i])
        else:
            assert on_y.size, (px, py)
            j = on_y[0]
            i = min(int(np.searchsorted(xs, px, side="right")) - 1, xs.size - 2)
            t = (px - xs[i]) / (xs[i + 1] - xs[i])
            value = z[j, i] + t * (z[j, i + 1] - z[j, i])
        assert value == pytest.approx(1.0, abs=1e-12)


def test_a_saddle_is_split_by_the_mean_of_its_corners() -> None:
    xs = ys = np.array([0.0, 1.0])
    # z[j, i]: bottom row first. Bottom-left and top-right are high.
    low_centre = np.array([[1.0, 0.0], [0.0, 1.0]])  # mean 0.5: not above 0.5
    assert _edges(level_lines(xs, ys, low_centre, np.array([0.5]))) == _edges(
        np.array([[0.0, 0.5], [0.5, 0.0], [np.nan, np.nan], [1.0, 0.5], [0.5, 1.0]])
    )
    high_centre = np.array([[1.0, 0.2], [0.2, 1.0]])  # mean 0.6: the high corners join
    t = (0.5 - 1.0) / (0.2 - 1.0)  # 0.625 of the way from a high corner to a low one
    assert _edges(level_lines(xs, ys, high_centre, np.array([0.5]))) == _edges(
        np.array([[t, 0.0], [1.0, 1 - t], [np.nan, np.nan], [1 - t, 1.0], [0.0, t]])
    )


def test_cells_with_a_non_finite_corner_draw_nothing() -> None:
    xs, ys, x, _y = _grid(6, 5)
    z = x.copy()
    z[2, 3] = np.nan
    # L = x is 0.5 on the line x = 0.5, which crosses the column of cells between x = 0 and 1 in each
    # of the 4 rows. The hole at (x, y) = (1, -0.25) is a corner of that column's cells in rows 1
    # and 2 (y from -0.875 to 0.375): those are skipped, rows 0 and 3 keep their piece.
    assert _edges(level_lines(xs, ys, z, np.array([0.5]))) == _edges(
        np.array([[0.5, -1.5], [0.5, -0.875], [np.nan, np.nan], [0.5, 0.375], [0.5, 1.0]])
    )
    assert len(_edges(level_lines(xs, ys, x, np.array([0.5])))) == 4  # without the hole: all four rows


def test_levels_are_separate_lines() -> None:
    xs, ys, x, y = _grid(41, 37)
    lines = level_lines(xs, ys, x**2 + y**2, np.array([0.25, 0.5, 1.0]))
    pieces = _pieces(lines)
    assert len(pieces) == 3
    for piece, level in zip(pieces, (0.25, 0.5, 1.0), strict=True):
        np.testing.assert_allclose(np.hypot(piece[:, 0], piece[:, 1]), np.sqrt(level), rtol=0.02)


def test_a_grid_of_the_wrong_shape_is_refused_with_the_shapes() -> None:
    with pytest.raises(ValueError, match=r"shape \(3, 4\).*\(4, 3\)"):
        level_lines(np.arange(3.0), np.arange(4.0), np.zeros((3, 4)), np.array([0.0]))


def test_surface_picture_uses_log_values_and_closes_holes_at_the_top() -> None:
    xs, ys, x, y = _grid(60, 50)
    z = 100 * (y - x**2) ** 2 + (1 - x) ** 2
    z[0, 0] = np.inf
    picture = surface_picture(xs, ys, z, log_levels=True)
    assert picture.label == "log₁₀(L − L_min)"
    assert picture.levels.shape == (N_LEVELS,)
    lo, hi = picture.color_range
    assert lo < hi
    finite = z[np.isfinite(z)]
    floor = (finite.max() - finite.min()) * 1e-6
    np.testing.assert_array_equal(picture.values[1:, 1:], np.log10(z[1:, 1:] - finite.min() + floor))
    # every level contributes lines, and the inf corner is treated as the top of the map
    assert len(_pieces(picture.lines)) >= N_LEVELS
    assert np.count_nonzero(np.isnan(picture.lines[:, 0])) == len(_pieces(picture.lines)) - 1


def test_a_flat_surface_has_no_levels_and_no_lines() -> None:
    xs, ys, _x, _y = _grid(5, 5)
    picture = surface_picture(xs, ys, np.full((5, 5), 2.0), log_levels=True)
    assert picture.levels.size == 0
    assert picture.lines.shape == (0, 2)
    assert picture.color_range == (2.0, 3.0)
