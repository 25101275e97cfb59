"""Typed losses' minima, view and colour scale, found numerically."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.expressions import DEFAULT_VIEW
from engine.losses import get_loss
from engine.minima import find_minima, fitted_view, wants_log_colours, with_typed_help


def _close(found, expected, tol=1e-4) -> None:
    assert len(found) == len(expected)
    for point in expected:
        assert min(math.dist(point, f) for f in found) < tol, (point, found)


def test_himmelblaus_four_minima_are_found_where_the_references_put_them() -> None:
    builtin = get_loss("himmelblau")
    typed = get_loss("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    _close(find_minima(typed.grid), builtin.minima)


def test_a_shifted_bowl_gets_its_minimum_and_a_view_around_it_and_the_start() -> None:
    surface = with_typed_help(get_loss("(x-5)^2 + (y+4)^2"))
    assert surface.minima == ((5.0, -4.0),)
    x0, x1, y0, y1 = surface.view
    for x, y in (*surface.minima, surface.start):
        assert x0 < x < x1 and y0 < y < y1
    assert math.isclose(x1 - x0, y1 - y0)


def test_narrow_bowls_and_kinks_are_minima_flat_valleys_are_not() -> None:
    _close(find_minima(get_loss("(1-x)^2 + 100*(y-x^2)^2").grid), [(1.0, 1.0)])
    _close(find_minima(get_loss("x^2 + 3000*y^2").grid), [(0.0, 0.0)])
    _close(find_minima(get_loss("abs(x) + abs(y)").grid), [(0.0, 0.0)])
    # every point of the ring (or of the line x = 0) is a minimum: no single ☆ would be true
    assert find_minima(get_loss("log(1 + (x^2 + y^2 - 1)^2)").grid) == ()
    assert find_minima(get_loss("x^2").grid) == ()
    assert find_minima(get_loss("x + y").grid) == ()  # none at all
    assert find_minima(get_loss("x^2 - y^2").grid) == ()  # a saddle is not a minimum


def test_several_local_minima_come_lowest_first() -> None:
    typed = get_loss("sin(x)*cos(y) + 0.1*(x^2 + y^2)")
    minima = find_minima(typed.grid)
    values = [typed.value_grad(x, y)[0] for x, y in minima]
    assert len(minima) >= 2 and values == sorted(values)
    for x, y in minima:  # each is a stationary point
        _f, gx, gy = typed.value_grad(x, y)
        assert math.hypot(gx, gy) < 1e-3


def test_the_ring_gets_log_colours_and_keeps_the_default_view() -> None:
    ring = with_typed_help(get_loss("log(1 + (x^2 + y^2 - 1)^2)"))
    assert ring.log_levels and ring.minima == () and ring.view == DEFAULT_VIEW
    assert not with_typed_help(get_loss("x^2 + y^2")).log_levels


def test_log_colours_when_the_lowest_tenth_is_squeezed() -> None:
    xs = np.linspace(-2, 2, 101)
    x, y = np.meshgrid(xs, xs)
    assert not wants_log_colours(x**2 + y**2)
    assert wants_log_colours(np.exp(3 * (x**2 + y**2)))
    assert not wants_log_colours(np.full((10, 10), np.nan))


def test_help_is_given_once_and_only_to_typed_losses() -> None:
    builtin = get_loss("booth")
    assert with_typed_help(builtin) is builtin
    typed = get_loss("x^2 + 2*y^2 + 1")
    assert with_typed_help(typed) is with_typed_help(typed)  # the window keeps its view
    assert with_typed_help(with_typed_help(typed)) is with_typed_help(typed)


@pytest.mark.parametrize("start", [(0.0, 0.0), (9.0, -9.0)])
def test_a_fitted_view_is_square_and_holds_every_point(start) -> None:
    minima = ((1.0, 2.0), (-3.0, 0.5))
    x0, x1, y0, y1 = fitted_view(minima, start)
    assert math.isclose(x1 - x0, y1 - y0)
    for x, y in (*minima, start):
        assert x0 < x < x1 and y0 < y < y1
