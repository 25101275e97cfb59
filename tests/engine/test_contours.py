"""Level lines for the contour view: exact on planes, right at saddles, honest at holes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.contours import N_LEVELS, contour_segments, surface_picture


def _grid(nx: int = 31, ny: int = 23) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    xs = np.linspace(-2.0, 3.0, nx)
    ys = np.linspace(-1.5, 1.0, ny)
    x, y = np.meshgrid(xs, ys)
    return xs, ys, x, y


def _as_set(segments: np.ndarray) -> set[frozenset[tuple[float, float]]]:
    return {frozenset((tuple(np.round(a, 12)), tuple(np.round(b, 12)))) for a, b in segments}


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(-5, 5).filter(lambda v: abs(v) > 1e-3),
    b=st.floats(-5, 5),
    level=st.floats(-3, 3),
)
def test_on_a_plane_every_end_point_lies_on_the_line_and_each_crossed_cell_has_one_segment(
    a: float, b: float, level: float
) -> None:
    xs, ys, x, y = _grid()
    z = a * x + b * y
    segments = contour_segments(xs, ys, z, level)
    ends = segments.reshape(-1, 2)
    np.testing.assert_allclose(a * ends[:, 0] + b * ends[:, 1], level, atol=1e-9 * (1 + abs(level)))
    above = (z > level).astype(int)
    corners = above[:-1, :-1] + above[:-1, 1:] + above[1:, 1:] + above[1:, :-1]
    crossed = int(np.count_nonzero((corners > 0) & (corners < 4)))
    assert segments.shape == (crossed, 2, 2)
    assert np.all(
        (ends[:, 0] >= xs[0]) & (ends[:, 0] <= xs[-1]) & (ends[:, 1] >= ys[0]) & (ends[:, 1] <= ys[-1])
    )


def test_on_a_bowl_end_points_sit_on_cell_edges_where_the_edge_interpolates_to_the_level() -> None:
    xs, ys, x, y = _grid(41, 37)
    z = x**2 + 3 * y**2
    segments = contour_segments(xs, ys, z, 1.0)
    assert segments.shape[0] > 20
    for px, py in segments.reshape(-1, 2):
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
    assert _as_set(contour_segments(xs, ys, low_centre, 0.5)) == _as_set(
        np.array([[[0.0, 0.5], [0.5, 0.0]], [[1.0, 0.5], [0.5, 1.0]]])
    )
    high_centre = np.array([[1.0, 0.2], [0.2, 1.0]])  # mean 0.6: the high corners join
    t = (0.5 - 1.0) / (0.2 - 1.0)  # 0.625 of the way from a high corner to a low one
    assert _as_set(contour_segments(xs, ys, high_centre, 0.5)) == _as_set(
        np.array([[[t, 0.0], [1.0, 1 - t]], [[1 - t, 1.0], [0.0, t]]])
    )


def test_cells_with_a_non_finite_corner_draw_nothing() -> None:
    xs, ys, x, _y = _grid(6, 5)
    z = x.copy()
    z[2, 3] = np.nan
    # L = x is 0.5 on the line x = 0.5, which crosses the column of cells between x = 0 and 1 in each
    # of the 4 rows. The hole at (x, y) = (1, -0.25) is a corner of that column's cells in rows 1
    # and 2 (y from -0.875 to 0.375): those are skipped, rows 0 and 3 keep their segment.
    assert _as_set(contour_segments(xs, ys, z, 0.5)) == _as_set(
        np.array([[[0.5, -1.5], [0.5, -0.875]], [[0.5, 0.375], [0.5, 1.0]]])
    )
    assert len(contour_segments(xs, ys, x, 0.5)) == 4  # without the hole: all four rows


def test_a_grid_of_the_wrong_shape_is_refused_with_the_shapes() -> None:
    with pytest.raises(ValueError, match=r"shape \(3, 4\).*\(4, 3\)"):
        contour_segments(np.arange(3.0), np.arange(4.0), np.zeros((3, 4)), 0.0)


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
    assert picture.segments.shape[0] > N_LEVELS
    assert np.all(np.isfinite(picture.segments))


def test_a_flat_surface_has_no_levels_and_no_lines() -> None:
    xs, ys, _x, _y = _grid(5, 5)
    picture = surface_picture(xs, ys, np.full((5, 5), 2.0), log_levels=True)
    assert picture.levels.size == 0
    assert picture.segments.shape == (0, 2, 2)
    assert picture.color_range == (2.0, 3.0)
