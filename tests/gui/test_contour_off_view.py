"""The selected racer's arrows go with its point: none while the point is off the plot."""

from __future__ import annotations

from gui.views.contour import ContourView
from tests.gui.conftest import shown


def test_a_point_off_the_plot_has_no_arrows_and_they_return_with_it(qtbot) -> None:
    """SGD diverged at (−1e26, 4e13): its arrows' labels ("−g 6.5e+27", "Δw 6.5e+25") were held
    in the plot's corner, attached to nothing, under the legend."""
    view = shown(qtbot, ContourView(), (600, 500))
    view.show_vectors["glyph"] = True
    view.set_view((-2.0, 2.0, -1.5, 3.5))
    state = ((6.5e27, -1.0e20), (1.0, 1.0), (6.5e25, 0.0), (4.0e55, 1.0))  # −g, M, Δw, G
    far = (-1.0e26, 4.0e13)
    view.show_state(far, *state)
    assert not any(arrow.text.isVisible() or arrow.line.isVisible() for arrow in view.arrows.values())
    assert not view.glyph.isVisible() and not view.glyph_label.isVisible()
    view.show_state((0.5, 1.0), *state)  # back on the plot: every arrow and the √G glyph again
    assert all(arrow.text.isVisible() and arrow.line.isVisible() for arrow in view.arrows.values())
    assert view.glyph.isVisible()
    x0, x1, _y0, _y1 = view.current_view()  # (wider than set: the aspect is locked)
    just_outside = (x1 + 1e-3 * (x1 - x0), 1.0)
    view.show_state(just_outside, *state)
    assert not any(arrow.text.isVisible() for arrow in view.arrows.values())
