"""Exports that need no window on screen: race images (PNG/SVG), animations (GIF/MP4), data (CSV/JSON).

A ``RaceScene`` holds what a picture shows: the configuration, the surface and every racer's
recorded trajectory (the engine's arrays, never recomputed). It comes from a
``SessionConfig`` (``build_scene`` runs the engine, bit-identical to the window) or from a
live window (``scene_from_window``). ``SceneRenderer`` draws it with the window's own
``ContourView`` and ``PerWeightPanels``, never shown, so an export looks like the window.

Images are laid out at a logical size of about 1280×720 and painted at the requested size
with a device-pixel ratio, so text, lines and markers grow with the image instead of
shrinking into a corner of a 4K canvas. Long exports are generators (``iter_export``)
that yield progress between slices of work: the CLI drains them in a loop, the dialog
drives them from a timer. Qt scene rendering stays on the GUI thread (Qt widgets and
graphics items are not thread-safe); encoding and writing run in a background thread.
Every file is written atomically.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import csv
import html
import io
import json
import math
import struct
import threading
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetricsF, QImage, QPainter, QPainterPath
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsView, QWidget

from engine.atomic import PendingFile, atomic_write_bytes, check_mp4
from engine.config import SessionConfig
from engine.contours import surface_picture
from engine.losses import Surface
from engine.messages import message_of, msg
from engine.minima import with_typed_help
from engine.optimizers import HYPERPARAMETERS, OPTIMIZERS
from engine.record import NAMES as RECORD_NAMES
from engine.simulate import Chunk, run_for, stochastic_metadata, surface_for
from engine.trajectory import CSV_COMMENT, Trajectory, csv_metadata
from gui import theme
from gui.export_svg import output_space_svg
from gui.history import RacerHistory
from gui.i18n import is_rtl, ltr, table_html, tr_engine, translate_message, whole_name

#: The logical canvas an export is laid out on; bigger outputs are the same picture, sharper.
BASE_SIZE = (1280, 720)
DEFAULT_SIZE = (1920, 1080)
MIN_SIDE, MAX_SIDE = 64, 16384
#: Grid of the exported colour map: finer than the window's, so a 4K image is not blocky.
EXPORT_GRID = 480
DEFAULT_FPS, DEFAULT_FRAMES = 20, 60
MAX_FRAMES = 10_000
#: The window's pen widths (logical pixels), scaled with the export.
#: Steps simulated per slice when building a scene, so progress and cancel stay live.
SIM_CHUNK = 200_000

IMAGE_SUFFIXES = (".png", ".svg")
ANIMATION_SUFFIXES = (".gif", ".mp4")
DATA_SUFFIXES = (".csv", ".json")
WHAT = ("contour", "panels", "window", "animation", "data")
EXPORT_FORMAT = "optimizer-lab-export"
EXPORT_VERSION = 1

Cancel = Callable[[], bool] | threading.Event | None
Progress = tuple[int, int, str]  # (done, total, what is happening)


class ExportError(ValueError):
    """An export that cannot be done; the message says why and what to change."""


class ExportCancelled(Exception):
    """The user cancelled; nothing was written."""


# -- inputs -------------------------------------------------------------------------------------
def parse_size(text: str) -> tuple[int, int]:
    """'1920x1080' → (1920, 1080), within [MIN_SIDE, MAX_SIDE] on both sides."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        if len(parts) != 2:
            raise ValueError
        size = (int(parts[0]), int(parts[1]))
    except ValueError:
        raise ExportError(
            msg("size must be WIDTHxHEIGHT in pixels (e.g. 1920x1080), got {text}", text=repr(text))
        ) from None
    return check_size(size)


def check_size(size: tuple[int, int]) -> tuple[int, int]:
    w, h = size
    if not (MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE):
        raise ExportError(
            msg(
                "size {w}x{h} is out of range: each side must be {low}…{high} pixels",
                w=w,
                h=h,
                low=MIN_SIDE,
                high=MAX_SIDE,
            )
        )
    return int(w), int(h)


def kind_of(path: str | Path, what: str) -> str:
    """Check that the file suffix suits what is exported; return the suffix."""
    suffix = Path(path).suffix.lower()
    allowed = {
        "contour": IMAGE_SUFFIXES,
        "panels": IMAGE_SUFFIXES,
        "window": IMAGE_SUFFIXES,
        "animation": ANIMATION_SUFFIXES,
        "data": DATA_SUFFIXES,
    }[what]
    if suffix not in allowed:
        names = {
            "contour": msg("the contour"),
            "panels": msg("the per-weight plots"),
            "window": msg("the window"),
            "animation": msg("the animation"),
            "data": msg("the data"),
        }
        raise ExportError(
            msg(
                "cannot export {what} as {suffix}: use {allowed}",
                what=names[what],
                suffix=repr(suffix) if suffix else msg("a file without a suffix"),
                allowed=", ".join(allowed),
            )
        )
    return suffix


def what_for_suffix(path: str | Path, panels: bool = False) -> str:
    """The natural export for a file name: .gif/.mp4 animate, .csv/.json are data, else an image."""
    suffix = Path(path).suffix.lower()
    if suffix in ANIMATION_SUFFIXES:
        return "animation"
    if suffix in DATA_SUFFIXES:
        return "data"
    if suffix in IMAGE_SUFFIXES:
        return "panels" if panels else "contour"
    raise ExportError(
        f"unknown output type {suffix or '(no suffix)'!r}: use "
        + ", ".join(IMAGE_SUFFIXES + ANIMATION_SUFFIXES + DATA_SUFFIXES)
    )


def mp4_available() -> bool:
    """MP4 needs the optional ``mp4`` extra (imageio + imageio-ffmpeg)."""
    try:
        import imageio.v2  # noqa: F401
        import imageio_ffmpeg

        imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:
        return False
    return True


def _cancel_check(cancel: Cancel) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    if isinstance(cancel, threading.Event):
        return cancel.is_set
    return cancel


# -- the scene ----------------------------------------------------------------------------------
@dataclass
class RaceScene:
    """What an export shows: a configuration, its surface and every racer's recorded arrays."""

    config: SessionConfig
    surface: Surface
    trajectories: dict[str, Trajectory]
    #: The window to draw (x_min, x_max, y_min, y_max); None: the surface's own.
    view: tuple[float, float, float, float] | None = None
    #: The racer whose −g, M, Δw arrows and √G glyph are drawn; None: no arrows.
    selected: str | None = None
    show_vectors: dict[str, bool] = field(
        default_factory=lambda: {"grad": True, "M": True, "dw": True, "glyph": True}
    )
    log_y: dict[str, bool] = field(default_factory=dict)

    @property
    def last_step(self) -> int:
        return max((t.steps for t in self.trajectories.values()), default=0)

    def histories(self, up_to: int | None = None) -> dict[str, RacerHistory]:
        """The views' input: each trajectory as a RacerHistory (the same numbers)."""
        out = {}
        for name, t in self.trajectories.items():
            h = RacerHistory(t.start, float(t.loss[0]), max_rows=max(t.w.shape[0], 16))
            end = t.w.shape[0] if up_to is None else int(np.searchsorted(t.step, up_to, side="right"))
            rows = slice(1, max(end, 1))
            whole = up_to is None or end >= t.w.shape[0]
            h.append(
                Chunk(
                    **{name: getattr(t, name)[rows] for name in ("step", *RECORD_NAMES)},
                    status=t.status if whole else "finished",
                    diverged_at=t.diverged_at if whole else None,
                )
            )
            out[name] = h
        return out


def iter_build_scene(
    config: SessionConfig, cancel: Cancel = None, *, max_rows: int | None = None
) -> Iterator[Progress]:
    """Run every enabled racer for ``config.steps`` steps; the last value sent is the scene.

    Use ``build_scene`` unless you need progress; this generator's return value (via
    ``StopIteration.value`` / ``yield from``) is the ``RaceScene``. ``max_rows`` bounds each racer's
    record (thinned to every 2nd, 4th, … step past it; the last step stays exact): pictures of
    very long runs need no more rows than they have pixels.
    """
    cancelled = _cancel_check(cancel)
    from engine.race import advance_run

    racers = config.enabled_racers()
    surface = with_typed_help(surface_for(config))  # the minima and view the window shows
    total = max(1, config.steps * len(racers))
    trajectories: dict[str, Trajectory] = {}
    for i, racer in enumerate(racers):
        rows = max(config.steps + 1, 1_000_000) if max_rows is None else max_rows
        run = run_for(config, racer, surface, max_rows=rows)
        pending = list(config.edits_of(racer.key))  # mid-run edits, each at its step
        while not run.done and run.t < config.steps:
            if cancelled():
                raise ExportCancelled
            advance_run(run, min(SIM_CHUNK, config.steps - run.t), pending)
            yield (i * config.steps + run.t, total, f"simulating {racer.key}")
        trajectories[racer.key] = _with_edits(run.trajectory(), config, racer.key)
    start = next(iter(trajectories.values())).start if trajectories else config.start
    return RaceScene(replace(config, start=start), surface, trajectories, view=config.view)


def build_scene(config: SessionConfig, cancel: Cancel = None) -> RaceScene:
    """A scene from a configuration: runs the engine exactly as the window's worker does."""
    return drain(iter_build_scene(config, cancel))


#: Rows per racer an export of the live window carries: a race longer than this exports every
#: 2nd, 4th, … step (each exact, the last one too), as a long ``run`` does.
EXPORT_ROWS = 100_000


def scene_from_window(window: Any) -> RaceScene:
    """What the learner sees in a live ``MainWindow``: its config, view and recorded histories."""
    if window.surface is None or not window.histories:
        raise ExportError(msg("nothing to export yet: wait until the surface and the race are ready"))
    from engine.race import replay_racer

    config = replace(window.config, start=window.config.start or window.start_point)
    trajectories = {}
    for name, h in window.histories.items():
        racer = config.racer(name)  # as at step 0; its edits go with the trajectory
        if not h.has_steps(0, h.last_step):  # the record kept what is drawn: the file gets every step
            run = replay_racer(config, window.race.record.surface, name, h.last_step, EXPORT_ROWS)
            trajectories[name] = _with_edits(run, config, name)
            continue
        trajectories[name] = _with_edits(
            Trajectory(
                optimizer=racer.optimizer,
                loss_spec=window.surface.spec(),
                loss_params=dict(window.surface.params),
                hyperparameters=dict(racer.hyperparameters),
                schedule=racer.schedule,
                start=tuple(float(v) for v in h.vec("w")[0]),
                **h.arrays(),
                status="finished" if h.status == "running" else h.status,
                diverged_at=h.diverged_at,
                stochastic=stochastic_metadata(
                    window.surface, config.batch_size, config.noise, config.seed_of(racer)
                ),
            ),
            config,
            name,
        )
    return RaceScene(
        config,
        window.surface,
        trajectories,
        view=window.contour.current_view(),
        selected=window.controls.selected if window.controls.selected in trajectories else None,
        show_vectors=dict(window.contour.show_vectors),
        log_y=dict(window.panels.log_y),
    )


def _with_edits(trajectory: Trajectory, config: SessionConfig, key: str) -> Trajectory:
    """The trajectory named by its racer, with the settings in force from each edit's step on."""
    trajectory.racer = key
    trajectory.label = config.label(key)
    trajectory.edits = [e.to_dict() for e in config.edits_of(key)]
    return trajectory


def _named_in_label(scene: RaceScene, key: str) -> list[str]:
    """The hyperparameters racer ``key``'s automatic label names (none for its own label)."""
    from engine.config import telling_apart

    current = scene.config.current_racers()
    racer = next((r for r in current if r.key == key), None)
    return [] if racer is None or racer.label else telling_apart(racer, current)


def racer_look(scene: RaceScene, key: str) -> tuple[str, str]:
    """(label, colour) of racer ``key`` in ``scene``."""
    from engine.config import label_parts

    current = scene.config.current_racers()
    racer = next((r for r in current if r.key == key), None)
    if racer is None:
        return key, theme.racer_color(key)
    if racer.label:
        return racer.label, racer.color
    title, detail = label_parts(racer, current)
    return f"{tr_engine(title)} {translate_message(detail)}".strip(), racer.color


def _optimizer(scene: RaceScene, key: str) -> Any:
    t = scene.trajectories.get(key)
    return OPTIMIZERS[t.optimizer if t is not None and t.optimizer else key]


def drain(gen: Iterator[Progress], progress: Callable[[int, int, str], None] | None = None) -> Any:
    """Run a progress generator to the end; return its return value."""
    while True:
        try:
            done, total, text = next(gen)
        except StopIteration as stop:
            return stop.value
        if progress is not None:
            progress(done, total, text)


# -- text on the picture ------------------------------------------------------------------------
def fmt_number(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        return f"{value:.3e}"
    return f"{value:.4g}"


def _t(message: str) -> str:
    """A ``msg`` in the interface language (Persian after ``install_language(app, 'fa')``)."""
    return translate_message(message)


def racer_title(name: str, config: SessionConfig | None = None) -> str:
    """What the legend calls a racer: its own label if it has one, else the optimizer's title."""
    racer = next((r for r in config.racers if r.optimizer == name), None) if config is not None else None
    if racer is not None and racer.label:
        return racer.label
    return tr_engine(OPTIMIZERS[name].title)


def hyper_text(
    optimizer: str, hyperparameters: dict[str, float], schedule: str, named: Collection[str] = ()
) -> str:
    """'η=0.05, α=0.9, β=0.999, ε=1e-08' (+ the schedule when it is not constant), less those in
    ``named``: the ones the racer's label names already ("RMSprop β=0.5", then "η=0.01, ε=1e-08")."""
    parts = [f"{HYPERPARAMETERS[k].symbol}={v:g}" for k, v in hyperparameters.items() if k not in named]
    if schedule != "constant":
        parts.append(_t(msg("schedule {schedule}", schedule=schedule)))
    return ", ".join(parts)


def title_text(surface: Surface) -> str:
    params = ", ".join(f"{k} = {v:g}" for k, v in surface.params.items())
    formula = surface.formula + (f"  ({params})" if params else "")
    if is_rtl():  # the Persian title on the right, the formula kept left to right after it
        return f"{tr_engine(surface.title)}: \u2066{formula}\u2069"
    return f"{tr_engine(surface.title)}: {formula}"


def legend_html(scene: RaceScene, step: int | None = None) -> str:
    """The on-plot legend: each optimizer, its hyperparameters, its loss at ``step``."""
    shown = scene.last_step if step is None else step
    rows = [[f"<td colspan=3><b>{_t(msg('step {step}', step=f'{shown:,}'))}</b></td>"]]
    states = {"diverged": " ✗ " + _t(msg("diverged")), "converged": " ✓"}
    # the dot next to the name in either direction; explicitly left to right, so an SVG
    # drawn from the text (gui.export_svg) cannot reverse a run of symbols
    sample = ltr("━●")
    for name, t in scene.trajectories.items():
        label, color = racer_look(scene, name)
        row = int(np.searchsorted(t.step, shown, side="right")) - 1
        # the settings in force at the step shown (they may have changed mid-run)
        racer = scene.config.settings_at(name, max(int(t.step[max(row, 0)]), 1))
        ended = row >= t.w.shape[0] - 1
        state = states.get(t.status, "") if ended else ""
        hyper = hyper_text(
            racer.optimizer, dict(racer.hyperparameters), racer.schedule, _named_in_label(scene, name)
        )
        loss = ltr("L = " + fmt_number(float(t.loss[max(row, 0)])))
        rows.append(
            [
                f"<td><span style='color:{color}; font-size:13pt'>{sample}</span>&nbsp;"
                f"<b>{whole_name(html.escape(label))}</b></td>",
                f"<td>&nbsp;{ltr(hyper)}&nbsp;</td>",
                f"<td align=right>&nbsp;&nbsp;{loss}{state}</td>",
            ]
        )
    key = " &nbsp; ".join(
        (f"□ {_t(msg('start'))}", f"☆ {_t(msg('minimum'))}", f"● {_t(msg('current point'))}")
    )
    rows.append([f"<td colspan=3 style='color:#444'>{key}</td>"])
    # in Persian the columns run from the right: colour and name, settings, then the loss
    return table_html(rows, "style='font-size:10pt' cellspacing=1")


def panels_key_html(scene: RaceScene, width: float | None = None) -> str:
    """The panels' key: each racer's colour, label and settings, then the w1/w2 line styles.

    The racers share a line while they fit in ``width`` (logical pixels) and wrap after that,
    so a narrow panel (an animation beside the race) does not push its plots off the picture.
    """
    racers = {r.key: r for r in scene.config.current_racers()}
    metrics = QFontMetricsF(_key_font())
    lines: list[list[str]] = [[]]
    used = 0.0
    for n in scene.trajectories:
        if n not in racers:
            continue
        label, color = racer_look(scene, n)
        r = racers[n]
        hyper = hyper_text(r.optimizer, dict(r.hyperparameters), r.schedule, _named_in_label(scene, n))
        hyper = f"({hyper})" if hyper else ""  # SGD's η named in its label is all it has
        plain = f"━━ {label} {hyper}    "
        need = metrics.horizontalAdvance(plain)
        if width is not None and lines[-1] and used + need > 0.95 * width:
            lines.append([])
            used = 0.0
        used += need
        sample = f"<span style='color:{color}'>━━</span>"
        # each entry one unit, as in the window's key (gui.views.panels): in Persian the line
        # ran left to right, "SGD (η=0.05)" first at the left and each sample left of its name
        lines[-1].append(whole_name(f"{sample} {whole_name(html.escape(label))} {ltr(hyper)}"))
    keys = "<br>".join(" &nbsp; ".join(line) for line in lines)
    on = _t(msg("on {surface}", surface=tr_engine(scene.surface.title)))
    styles = f"{whole_name('<b>———</b> w1')} &nbsp; {whole_name('<b>- - -</b> w2')} &nbsp; {whole_name(on)}"
    return f"{keys}<br>{styles}"


def _key_font() -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(10)
    return font


# -- rendering ----------------------------------------------------------------------------------
def logical_size(size: tuple[int, int]) -> tuple[tuple[int, int], float]:
    """The layout size and the scale it is painted at: text stays readable at any output size."""
    w, h = size
    scale = max(1.0, min(w / BASE_SIZE[0], h / BASE_SIZE[1]))
    return (max(1, round(w / scale)), max(1, round(h / scale))), scale


def _offscreen(widget: QWidget, size: tuple[int, int]) -> None:
    """Lay a widget out at ``size`` without putting it on a screen."""
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    widget.resize(*size)
    if not widget.isVisible():
        widget.show()
    QApplication.sendPostedEvents(widget)
    if widget.size() != QSize(*size):  # some platforms apply the size only after events
        QApplication.processEvents()


class SceneRenderer:
    """The window's contour view and per-weight panels, off screen, drawing one scene."""

    def __init__(self, scene: RaceScene, grid_size: int = EXPORT_GRID) -> None:
        from gui.views.contour import ContourView
        from gui.views.panels import PerWeightPanels

        self.scene = scene
        self.grid_size = grid_size
        self.contour = ContourView()
        self.contour.fast_trails = False  # a file shows the true wide strokes, not the screen's fast ones
        self.panels = PerWeightPanels()
        self.panels.fast_curves = False  # nor the screen's fast dashed bands (PlotLines)
        self._layout: tuple[int, int] | None = None
        self._panels_ready = False
        self._pen_scale = 1.0
        self._histories = scene.histories()
        plot = self.contour.plot
        for axis in ("bottom", "left"):
            plot.getAxis(axis).label.setDefaultTextColor(QColor("#111"))
        self.contour.colorbar.axis.setTextPen("#222")
        self.contour.colorbar.axis.label.setDefaultTextColor(QColor("#222"))
        self.contour.set_title(title_text(scene.surface))
        looks = {n: racer_look(scene, n) for n in scene.trajectories}
        self.contour.set_racers(
            {n: label for n, (label, _) in looks.items()},
            scene.config.start or (0.0, 0.0),
            {n: color for n, (_, color) in looks.items()},
        )
        for key, on in scene.log_y.items():
            self.panels.set_log(key, on)
        self.panels.set_racers(
            list(scene.trajectories),
            without_momentum=[n for n in scene.trajectories if not _optimizer(scene, n).m_meaning],
            colors={n: color for n, (_, color) in looks.items()},
        )
        self.panels.set_selected(scene.selected)

    def close(self) -> None:
        for widget in (self.contour, self.panels):
            widget.close()
            widget.deleteLater()

    # -- contour ----------------------------------------------------------------------
    def layout_contour(self, size: tuple[int, int]) -> None:
        """Lay out at ``size`` (logical) and grid the surface over exactly what is visible."""
        if self._layout == size:
            return
        self._layout = size
        _offscreen(self.contour, size)
        s = self.scene.surface
        view = self.scene.view or s.view
        self.contour.set_view(view)
        x0, x1, y0, y1 = self.contour.current_view()  # the 1:1 aspect widens one axis: fill it
        xs = np.linspace(x0, x1, self.grid_size)
        ys = np.linspace(y0, y1, self.grid_size)
        picture = surface_picture(xs, ys, s.grid(xs, ys), s.log_levels)
        self.contour.set_surface(xs, ys, picture, s.minima, reset_view=False)

    def show_step(self, step: int | None = None) -> None:
        """Trails up to ``step`` (None: the whole run), markers and legend at that step."""
        histories = self._histories
        self.contour.update_racers(histories, cursor=step)
        self.contour.set_readout(legend_html(self.scene, step))
        name = self.scene.selected
        h = histories.get(name) if name else None
        if h is None or len(h) < 2:
            self.contour.show_state((0.0, 0.0), None, None, None, None)
            return
        i = len(h) - 1 if step is None else h.row_at_step(step)
        if i < 1:
            self.contour.show_state((0.0, 0.0), None, None, None, None)
            return
        self.contour.show_vectors.update(self.scene.show_vectors)
        opt = _optimizer(self.scene, name)
        w = h.vec("w")[i]
        self.contour.show_state(
            (float(w[0]), float(w[1])),
            tuple(h.vec("grad")[i]),
            tuple(h.vec("M")[i]) if opt.m_meaning else None,
            tuple(h.vec("dw")[i]),
            tuple(h.vec("G")[i]) if opt.adaptive else None,
            racer=name,
        )

    # -- panels -----------------------------------------------------------------------
    def layout_panels(self, size: tuple[int, int], x_range: tuple[int, int] | None = None) -> None:
        _offscreen(self.panels, size)
        if not self._panels_ready:
            adaptive = {n: _optimizer(self.scene, n).adaptive for n in self.scene.trajectories}
            self.panels.update_racers(self._histories, adaptive)
            self.panels.empty_hint.setVisible(False)  # the window's "press Play", not for a handout
            self._panels_ready = True
            self.panels.title.setText(panels_key_html(self.scene, size[0]), size="10pt", color="#111")
            # the title grew a line after the layout was made: lay it out again before drawing
            self.panels.ci.layout.invalidate()
            self.panels.ci.layout.activate()
        for plot in self.panels.plots.values():
            plot.enableAutoRange(axis="y")
            plot.vb.updateAutoRange()
        first, last = x_range or (0, max(self.scene.last_step, 1))
        if x_range is not None:  # the curves over the range set each plot's values axis
            adaptive = {n: _optimizer(self.scene, n).adaptive for n in self.scene.trajectories}
            self.panels.update_racers(self.scene.histories(up_to=last), adaptive)
        self.panels.set_x_view(first, last, padding=0.01)

    def frame_painter(
        self, animate: str, size: tuple[int, int], steps: tuple[int, int]
    ) -> Callable[[int], QImage]:
        """A function drawing one animation frame (the race, the panels or both) at a step.

        The panels' axes are fixed for the whole animation: steps ``steps[0]…steps[1]`` across,
        and each plot's values over that range up (a growing curve, not a jumping axis).
        """
        (lw, lh), scale = logical_size(size)
        if animate == "race":
            view = self.view_for("contour", size)

            def race(step: int) -> QImage:
                self.show_step(step)
                return render_image(view, size)

            return race
        if animate == "panels":
            parts = [("panels", (lw, lh), size)]
        else:  # the race on the left, the panels on the right, as in the window
            left = round(lw * 0.56)
            device_left = round(size[0] * left / lw)
            parts = [
                ("contour", (left, lh), (device_left, size[1])),
                ("panels", (lw - left, lh), (size[0] - device_left, size[1])),
            ]
        for what, logical, _device in parts:
            if what == "panels":
                self.layout_panels(logical, x_range=steps)
            else:
                self.layout_contour(logical)
        self.scale_pens(scale)
        for plot in self.panels.plots.values():  # the axes fitted above stay as they are
            plot.disableAutoRange()
        self.panels.hold_ranges()
        adaptive = {n: _optimizer(self.scene, n).adaptive for n in self.scene.trajectories}

        def frame(step: int) -> QImage:
            self.panels.update_racers(self.scene.histories(up_to=step), adaptive)
            self.panels.empty_hint.setVisible(False)
            self.panels.set_x_view(*steps, padding=0.01)
            self.panels.set_cursor(step)
            if len(parts) == 1:
                return render_image(self.panels, size)
            self.show_step(step)
            image = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(QColor("white"))
            painter = QPainter(image)
            x = 0
            for what, _logical, device in parts:
                view = self.panels if what == "panels" else self.contour
                painter.drawImage(x, 0, render_image(view, device))
                x += device[0]
            painter.end()
            return image

        return frame

    def view_for(self, what: str, size: tuple[int, int]) -> QGraphicsView:
        """The laid-out view for 'contour' or 'panels' at the output ``size``."""
        layout, scale = logical_size(size)
        if what == "panels":
            self.layout_panels(layout)
            self.scale_pens(scale)
            return self.panels
        self.layout_contour(layout)
        self.scale_pens(scale)
        return self.contour

    def scale_pens(self, scale: float) -> None:
        """Cosmetic pens ignore the device-pixel ratio: widen trails and curves to match the text."""
        if scale == self._pen_scale:
            return
        self._pen_scale = scale
        self.contour.set_pen_scale(scale)
        self.panels.set_pen_scale(scale)


def _logical_size(view: QGraphicsView | QWidget) -> tuple[int, int]:
    if isinstance(view, QGraphicsView):
        return view.viewport().width(), view.viewport().height()
    return view.width(), view.height()


@contextlib.contextmanager
def _uncached(view: QGraphicsView | QWidget) -> Iterator[None]:
    """Draw every item afresh while exporting, then give back the cache modes.

    The window caches its readout and the arrows' labels as screen pixmaps (they change a few
    times a second, the racers under them every frame); rendered through those, an SVG got the
    text as bitmaps, without its words, and a 4K PNG got it scaled up from screen pixels."""
    views = [view] if isinstance(view, QGraphicsView) else view.findChildren(QGraphicsView)
    cached: list[tuple[QGraphicsItem, QGraphicsItem.CacheMode]] = []
    for v in views:
        if v.scene() is None:
            continue
        for item in v.scene().items():
            if item.cacheMode() != QGraphicsItem.CacheMode.NoCache:
                cached.append((item, item.cacheMode()))
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)


def _paint(view: QGraphicsView | QWidget, painter: QPainter, lw: int, lh: int) -> None:
    """Render a view (scene or widget) with ``painter``, then end the painter."""
    try:
        with _uncached(view):
            if isinstance(view, QGraphicsView):
                view.render(painter, QRectF(0, 0, lw, lh), view.viewport().rect())
            else:
                view.render(painter, QPoint())
    finally:
        painter.end()


def render_image(view: QGraphicsView | QWidget, size: tuple[int, int]) -> QImage:
    """Paint a laid-out view into an image of ``size`` (device pixels), scaled to fill it."""
    w, h = size
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    lw, lh = _logical_size(view)
    scale = min(w / lw, h / lh)
    image.setDevicePixelRatio(scale)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    _paint(view, painter, lw, lh)
    image.setDevicePixelRatio(1.0)
    return image


def render_svg(view: QGraphicsView | QWidget, title: str, size: tuple[int, int] | None = None) -> bytes:
    """The view as SVG (vector trails, contours and text) that renders the same outside Qt.

    Painted through QSvgGenerator at the logical size (the viewBox), then rewritten by
    ``gui.export_svg`` into output-space coordinates with font fallbacks; ``size`` is the
    width and height in pixels the file asks for (default: the logical size).
    """
    lw, lh = _logical_size(view)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(lw, lh))
    generator.setViewBox(QRectF(0, 0, lw, lh))
    # Text is laid out at the screen's DPI; a different SVG resolution shifts axis ticks.
    screen = QApplication.primaryScreen()
    generator.setResolution(round(screen.logicalDotsPerInch()) if screen is not None else 96)
    generator.setTitle(title)
    generator.setDescription("Exported by Optimizer Lab")
    painter = QPainter(generator)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    _paint(view, painter, lw, lh)
    buffer.close()
    return output_space_svg(
        bytes(data.data()), size or (lw, lh), resolve_family=_qt_family, text_path=_qt_text_path, rtl=is_rtl()
    )


def _qt_family(name: str) -> str:
    """The family Qt really draws for ``name`` (e.g. 'Sans Serif' → 'DejaVu Sans')."""
    return QFontInfo(QFont(name)).family()


def _qt_font(family: str, pixel_size: float, weight: str, style: str) -> QFont:
    """The QFont an SVG text run was drawn with (QSvgGenerator writes sizes in pixels)."""
    font = QFont()
    font.setFamilies([f.strip().strip("'\"") for f in family.split(",") if f.strip()])
    screen = QApplication.primaryScreen()
    dpi = screen.logicalDotsPerInch() if screen is not None else 96.0
    font.setPointSizeF(pixel_size * 72.0 / dpi)
    font.setWeight(QFont.Weight(int(weight)) if weight.isdigit() else QFont.Weight.Normal)
    font.setItalic(style == "italic")
    return font


def _qt_text_path(
    text: str, family: str, pixel_size: float, weight: str, style: str, x: float, y: float
) -> str:
    """The glyph outlines of a text run, shaped by Qt as it drew them, as SVG path data."""
    path = QPainterPath()
    path.addText(QPointF(x, y), _qt_font(family, pixel_size, weight, style), text)
    parts: list[str] = []
    i, n = 0, path.elementCount()
    while i < n:
        e = path.elementAt(i)
        if e.type == QPainterPath.ElementType.MoveToElement:
            parts.append(f"M{e.x:.2f},{e.y:.2f}")
        elif e.type == QPainterPath.ElementType.LineToElement:
            parts.append(f"L{e.x:.2f},{e.y:.2f}")
        elif e.type == QPainterPath.ElementType.CurveToElement and i + 2 < n:
            c2, end = path.elementAt(i + 1), path.elementAt(i + 2)
            parts.append(f"C{e.x:.2f},{e.y:.2f} {c2.x:.2f},{c2.y:.2f} {end.x:.2f},{end.y:.2f}")
            i += 2
        i += 1
    return "".join(parts)


def png_bytes(image: QImage) -> bytes:
    """PNG-encode (safe off the GUI thread: QImage is reentrant)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ExportError(msg("could not encode the PNG image"))
    buffer.close()
    return bytes(data.data())


def image_rgb(image: QImage) -> np.ndarray:
    """(h, w, 3) uint8 copy of an image's pixels."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    buf = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * h).reshape(h, stride)
    return buf[:, : w * 3].reshape(h, w, 3).copy()


def write_file(path: str | Path, payload: bytes) -> None:
    """Atomic write; an unwritable path becomes an ExportError with a plain message."""
    try:
        atomic_write_bytes(path, payload)
    except OSError as exc:
        raise ExportError(message_of(exc)) from None


def check_writable(path: str | Path) -> Path:
    """Fail before long work when the output folder does not exist or is not a folder."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportError(msg("cannot write {path}: it is a folder", path=str(path)))
    if not folder.is_dir():
        raise ExportError(
            msg("cannot write {path}: folder {folder} does not exist", path=str(path), folder=str(folder))
        )
    return path


def _in_thread(fn: Callable[..., Any], *args: Any, text: str, done: int, total: int) -> Iterator[Progress]:
    """Run non-Qt work (encoding, writing) in a thread, yielding progress until it is done."""
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="export") as pool:
        future = pool.submit(fn, *args)
        while not future.done():
            yield (done, total, text)
            time.sleep(0.005)
        return future.result()


# -- still images -------------------------------------------------------------------------------
def iter_export_image(
    scene: RaceScene,
    path: str | Path,
    what: str = "contour",
    size: tuple[int, int] = DEFAULT_SIZE,
    renderer: SceneRenderer | None = None,
) -> Iterator[Progress]:
    """Contour race or per-weight panels as PNG or SVG."""
    suffix = kind_of(path, what)
    size = check_size(size)
    path = check_writable(path)
    own = renderer is None
    renderer = renderer or SceneRenderer(scene)
    try:
        view = renderer.view_for(what, size)
        if suffix == ".svg":  # the viewBox is the logical size: lines scale with the picture there
            renderer.scale_pens(1.0)
        if what == "contour":
            renderer.show_step(None)
        yield (1, 3, "rendering")
        if suffix == ".svg":
            payload = render_svg(view, title_text(scene.surface), size)
            yield from _in_thread(write_file, path, payload, text="writing", done=2, total=3)
        else:
            image = render_image(view, size)
            yield from _in_thread(
                lambda: write_file(path, png_bytes(image)), text="encoding", done=2, total=3
            )
    finally:
        if own:
            renderer.close()
    yield (3, 3, "done")


def iter_export_widget(
    widget: QWidget, path: str | Path, size: tuple[int, int] | None = None
) -> Iterator[Progress]:
    """Any widget (the whole window) as PNG or SVG; ``size`` is fitted keeping its aspect."""
    suffix = kind_of(path, "window")
    path = check_writable(path)
    ww, wh = widget.width(), widget.height()
    w, h = size or (ww * 2, wh * 2)
    check_size((w, h))
    scale = min(w / ww, h / wh)
    fitted = (max(1, round(ww * scale)), max(1, round(wh * scale)))
    yield (1, 3, "rendering")
    if suffix == ".svg":
        payload = render_svg(widget, widget.windowTitle() or "Optimizer Lab", fitted)
        yield from _in_thread(write_file, path, payload, text="writing", done=2, total=3)
    else:
        image = render_image(widget, fitted)
        yield from _in_thread(lambda: write_file(path, png_bytes(image)), text="encoding", done=2, total=3)
    yield (3, 3, "done")


# -- animation ----------------------------------------------------------------------------------
PACINGS = ("early", "linear")
ANIMATE = ("race", "panels", "both")


def frame_steps(first: int, last: int, frames: int, pacing: str = "early") -> list[int]:
    """The step each frame shows, from ``first`` to ``last``, at most ``frames`` frames.

    A range of no more steps than frames shows every step. Otherwise, ``early`` pacing (the
    default) gives the first half of the frames one step each (``first``, ``first`` + 1, …),
    then spreads the other half geometrically (a constant ratio between the steps' distances
    from ``first``) up to ``last``: the early steps, where optimizers differ most, get time,
    and a long tail still ends on its last step. ``linear`` spreads all frames evenly.
    """
    if pacing not in PACINGS:
        raise ExportError(
            msg(
                "pacing must be one of {allowed}, got {pacing}",
                allowed=", ".join(PACINGS),
                pacing=repr(pacing),
            )
        )
    span = last - first
    if span < 0:
        raise ExportError(msg("the step range {first}:{last} is empty", first=first, last=last))
    if span + 1 <= frames:
        return list(range(first, last + 1))
    if pacing == "linear":
        return [first + round(u) for u in np.linspace(0, span, frames)]
    early = frames // 2
    late = frames - early
    steps = list(range(first, first + early))
    ratio = (span / early) ** (1.0 / late)
    previous = steps[-1]
    for j in range(1, late + 1):
        step = first + round(early * ratio**j)
        step = min(max(step, previous + 1), last - (late - j))  # rising, and room for the rest
        steps.append(step)
        previous = step
    return steps


def parse_steps_range(text: str) -> tuple[int, int | None]:
    """'0:200' → (0, 200); '100:' → (100, None) (to the end); the steps an animation covers."""
    low, sep, high = text.partition(":")
    try:
        if not sep:
            raise ValueError
        first = int(low) if low.strip() else 0
        last = int(high) if high.strip() else None
    except ValueError:
        raise ExportError(
            msg(
                "a step range is FIRST:LAST in steps (e.g. 0:200, or 100: to the end), got {text}",
                text=repr(text),
            )
        ) from None
    if first < 0 or (last is not None and last <= first):
        raise ExportError(msg("a step range needs 0 ≤ FIRST < LAST, got {text}", text=repr(text)))
    return first, last


class _GifSink:
    """GIF frames written as they come (bounded memory), one palette that holds every racer's colour.

    Pillow's multi-frame writer keeps every frame until the end (a 2,000-frame 4K GIF does not
    fit in memory); here each frame is encoded alone by Pillow and its image block appended to
    a temporary file beside the target, which is renamed over it when complete.
    """

    def __init__(self, fps: int, fixed: list[str], path: Path, size: tuple[int, int]) -> None:
        self.delay = max(2, round(100 / fps))  # GIF delays are in hundredths of a second
        self.fixed = fixed
        self.palette: Any = None
        self.count = 0
        try:
            self.pending = PendingFile(path)
            header = b"GIF89a" + struct.pack("<HHBBB", size[0], size[1], 0, 0, 0)
            loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # play forever
            self.pending.write(header + loop)
        except OSError as exc:
            raise ExportError(message_of(exc)) from None

    def set_palette(self, final_rgb: np.ndarray) -> None:
        from PIL import Image

        fixed = [QColor(c).getRgb()[:3] for c in self.fixed]
        adaptive = Image.fromarray(final_rgb).quantize(colors=256 - len(fixed))
        colors = (adaptive.getpalette() or [])[: 3 * (256 - len(fixed))]
        flat = [v for rgb in fixed for v in rgb] + colors
        flat += [0] * (768 - len(flat))
        self.palette = Image.new("P", (1, 1))
        self.palette.putpalette(flat)

    def add(self, rgb: np.ndarray) -> None:
        from PIL import Image

        frame = Image.fromarray(rgb).quantize(palette=self.palette, dither=Image.Dither.NONE)
        buf = io.BytesIO()
        frame.save(buf, format="GIF", optimize=False, interlace=False)
        control = b"\x21\xf9\x04" + struct.pack("<BHBB", 1 << 2, self.delay, 0, 0)  # keep the frame
        try:
            self.pending.write(control + gif_image_block(buf.getvalue()))
        except OSError as exc:
            raise ExportError(message_of(exc)) from None
        self.count += 1

    def finish(self, path: Path) -> None:
        try:
            self.pending.write(b"\x3b")
            self.pending.commit()
        except OSError as exc:
            self.pending.discard()
            raise ExportError(message_of(exc)) from None

    def abort(self) -> None:
        self.pending.discard()


def gif_image_block(data: bytes) -> bytes:
    """The image of a one-frame GIF as a block to append to another GIF, its colours as a local table."""
    packed = data[10]
    pos = 13
    table = b""
    if packed & 0x80:
        n = 3 * 2 ** ((packed & 7) + 1)
        table, pos = data[pos : pos + n], pos + n
        table_bits = packed & 7
    while pos < len(data):
        kind = data[pos]
        if kind == 0x21:  # an extension: skip its sub-blocks
            pos += 2
            while data[pos]:
                pos += data[pos] + 1
            pos += 1
        elif kind == 0x2C:
            descriptor = bytearray(data[pos : pos + 10])
            pos += 10
            if descriptor[9] & 0x80:  # the frame has its own table already
                n = 3 * 2 ** ((descriptor[9] & 7) + 1)
                table, pos = data[pos : pos + n], pos + n
                table_bits = descriptor[9] & 7
            if not table:
                raise ExportError(msg("could not encode a GIF frame"))
            descriptor[9] = 0x80 | (descriptor[9] & 0x40) | table_bits  # a local colour table
            start = pos
            pos += 1  # LZW minimum code size
            while data[pos]:
                pos += data[pos] + 1
            pos += 1
            return bytes(descriptor) + table + data[start:pos]
        else:
            break
    raise ExportError(msg("could not encode a GIF frame"))


class _Mp4Sink:
    """H.264 through imageio-ffmpeg into a temporary file beside the target, checked, then renamed over it."""

    def __init__(self, fps: int, path: Path) -> None:
        import imageio.v2 as imageio

        try:
            self.pending = PendingFile(path)
        except OSError as exc:
            raise ExportError(message_of(exc)) from None
        self.writer = imageio.get_writer(
            str(self.pending.tmp),
            fps=fps,
            codec="libx264",
            quality=8,
            pixelformat="yuv420p",
            macro_block_size=2,
        )

    def set_palette(self, final_rgb: np.ndarray) -> None:
        pass

    def add(self, rgb: np.ndarray) -> None:
        self.writer.append_data(rgb)

    def finish(self, path: Path) -> None:
        try:
            self.writer.close()
            check_mp4(self.pending.tmp, path)  # ffmpeg reports no error when the disk fills up
            self.pending.commit()
        except OSError as exc:
            self.pending.discard()
            raise ExportError(message_of(exc)) from None

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()
        self.pending.discard()


def iter_export_animation(
    scene: RaceScene,
    path: str | Path,
    size: tuple[int, int] = DEFAULT_SIZE,
    fps: int = DEFAULT_FPS,
    frames: int = DEFAULT_FRAMES,
    cancel: Cancel = None,
    renderer: SceneRenderer | None = None,
    *,
    animate: str = "race",
    steps_range: tuple[int, int | None] = (0, None),
    pacing: str = "early",
) -> Iterator[Progress]:
    """The race, the per-weight panels or both side by side as GIF or MP4, growing frame by frame.

    ``steps_range`` (first, last or None for the end) and ``pacing`` choose the steps shown
    (``frame_steps``). Frames are encoded and written as they come; raises ExportCancelled.
    """
    suffix = kind_of(path, "animation")
    size = check_size(size)
    if isinstance(fps, bool) or not isinstance(fps, int) or not 1 <= fps <= 60:
        raise ExportError(
            msg("frame rate must be a whole number of frames per second in 1…60, got {fps}", fps=repr(fps))
        )
    if isinstance(frames, bool) or not isinstance(frames, int) or not 2 <= frames <= MAX_FRAMES:
        raise ExportError(
            msg(
                "number of frames must be a whole number in 2…{most}, got {frames}",
                most=f"{MAX_FRAMES:,}",
                frames=repr(frames),
            )
        )
    if animate not in ANIMATE:
        raise ExportError(
            msg("animate one of {allowed}, got {animate}", allowed=", ".join(ANIMATE), animate=repr(animate))
        )
    first, last = steps_range
    last = scene.last_step if last is None else min(last, scene.last_step)
    if first >= last:
        raise ExportError(
            msg(
                "the step range starts at {first} but the race has {steps} steps",
                first=first,
                steps=scene.last_step,
            )
        )
    steps = frame_steps(first, last, frames, pacing)
    path = check_writable(path)
    if suffix == ".mp4":
        if not mp4_available():
            raise ExportError(
                msg("MP4 needs the optional mp4 extra: pip install 'optimizer-lab[mp4]' (or export a .gif)")
            )
        size = (size[0] - size[0] % 2, size[1] - size[1] % 2)
    cancelled = _cancel_check(cancel)
    own = renderer is None
    renderer = renderer or SceneRenderer(scene)
    fixed = [racer_look(scene, n)[1] for n in scene.trajectories] + ["#000000", "#ffffff"]
    sink: _GifSink | _Mp4Sink = _Mp4Sink(fps, path) if suffix == ".mp4" else _GifSink(fps, fixed, path, size)
    total = len(steps) + 2
    pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="export-encode")
    pending: list[concurrent.futures.Future[None]] = []
    try:
        draw = renderer.frame_painter(animate, size, (first, last))
        pool.submit(sink.set_palette, image_rgb(draw(last))).result()
        for i, step in enumerate(steps):
            if cancelled():
                raise ExportCancelled
            pending.append(pool.submit(sink.add, image_rgb(draw(step))))
            while len(pending) > 3:  # bounded memory: wait for the encoder to catch up
                pending.pop(0).result()
            yield (i + 1, total, f"frame {i + 1} of {len(steps)} (step {step:,})")
        for future in pending:
            future.result()
        pending.clear()
        if cancelled():
            raise ExportCancelled
        future = pool.submit(sink.finish, path)
        while not future.done():
            if cancelled():  # the encoder cannot be interrupted mid-file; nothing is in place yet
                future.result()
                raise ExportCancelled
            yield (len(steps) + 1, total, "encoding")
            time.sleep(0.005)
        future.result()
    except BaseException:
        for future in pending:
            future.cancel()
        pool.submit(sink.abort)
        raise
    finally:
        pool.shutdown(wait=True)
        if own:
            renderer.close()
    yield (total, total, "done")


# -- data ---------------------------------------------------------------------------------------
def data_csv(scene: RaceScene) -> str:
    """Every racer's rows, one header: the ``run`` command's columns after an optimizer column.

    A race with mid-run edits or an optimizer racing twice gets more columns: the racer's key,
    and the schedule and hyperparameters in force at each row's step (a change shows from its
    step on; empty for a hyperparameter the rule lacks), so the file replays exactly.

    On a data loss or with noise, each racer's rows come after its ``# key: value`` lines
    (``engine.trajectory.csv_metadata``: the dataset and its SHA-256, the columns, the
    standardisation, the batch size, σ and the racer's seed).
    """
    optimizers = [t.optimizer or key for key, t in scene.trajectories.items()]
    if not scene.config.edits and len(set(optimizers)) == len(optimizers):
        # the streamed command-line CSV's text, exactly
        return "".join(
            t.to_csv(extra={"optimizer": t.optimizer}, header=i == 0)
            for i, t in enumerate(scene.trajectories.values())
        )
    names = [h for h in HYPERPARAMETERS if any(h in t.hyperparameters for t in scene.trajectories.values())]
    parts = []
    for i, (key, t) in enumerate(scene.trajectories.items()):
        extra = {"optimizer": t.optimizer or key}
        if i == 0:
            header = t.to_csv(extra, metadata=False).split("\n", 1)[0]
            parts.append(",".join([header, "racer", "schedule", *names]) + "\n")
        parts.append(csv_metadata(t.stochastic))
        body = t.to_csv(extra, header=False, metadata=False)
        suffixes = _settings_columns(scene, key, t.step, names)
        rows = zip(body.splitlines(), suffixes, strict=True)
        parts.append("".join(f"{line},{suffix}\n" for line, suffix in rows))
    return "".join(parts)


def _settings_columns(scene: RaceScene, key: str, steps: np.ndarray, names: list[str]) -> list[str]:
    """For each row: "key,schedule,hyperparameters…" in force at its step (one text per edit)."""
    try:
        edits = scene.config.edits_of(key)
        scene.config.racer(key)
    except KeyError:  # a trajectory without a racer in the configuration
        return [key + "," * (len(names) + 1)] * len(steps)
    bounds = [0, *(e.after_step for e in edits)]
    texts = []
    for i, bound in enumerate(bounds):
        racer = scene.config.settings_at(key, bound + 1 if i else 0)
        hyper = racer.hyperparameters
        cells = [racer.schedule, *(repr(float(hyper[n])) if n in hyper else "" for n in names)]
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(cells)  # a schedule "step:size=300,gamma=0.5" is quoted
        # a twin's key "sgd#2" is quoted too: pandas.read_csv(comment="#") cuts a line at an unquoted #
        quoted = '"' + key.replace('"', '""') + '"' if CSV_COMMENT in key else key
        texts.append(f"{quoted},{buf.getvalue()}")
    # row at step s uses the last edit with after_step < s (row 0, the start, the first settings)
    segment = np.searchsorted(np.asarray(bounds[1:], dtype=np.int64), np.asarray(steps), side="left")
    return [texts[j] for j in segment]


def data_json(scene: RaceScene) -> str:
    """The full configuration plus every trajectory: enough to reproduce a figure exactly."""
    payload = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "session": scene.config.to_dict(),
        "view": list(scene.view) if scene.view is not None else None,
        "trajectories": [t.to_json_dict() for t in scene.trajectories.values()],
    }
    return json.dumps(payload, indent=1, allow_nan=True) + "\n"


def read_data_csv(text: str) -> dict[str, Trajectory]:
    """Trajectories back from ``data_csv`` text, per optimizer (arrays exactly as written, and
    each racer's metadata lines: those just above its rows)."""
    lines = text.splitlines()
    header, body = lines[0], lines[1:]
    groups: dict[str, list[str]] = {}
    columns = header.split(",")
    column = columns.index("racer") if "racer" in columns else 0
    pending: list[str] = []
    for line in body:
        if line.startswith(CSV_COMMENT):
            pending.append(line)
            continue
        name = next(csv.reader([line]))[column]
        groups.setdefault(name, []).extend([*pending, line])
        pending = []
    return {name: Trajectory.from_csv("\n".join([header, *rows])) for name, rows in groups.items()}


def iter_export_data(scene: RaceScene, path: str | Path) -> Iterator[Progress]:
    suffix = kind_of(path, "data")
    path = check_writable(path)
    yield (0, 2, "formatting")
    make = data_csv if suffix == ".csv" else data_json
    yield from _in_thread(lambda: write_file(path, make(scene).encode()), text="writing", done=1, total=2)
    yield (2, 2, "done")


# -- one entry point ----------------------------------------------------------------------------
def iter_export(
    scene: RaceScene,
    path: str | Path,
    what: str | None = None,
    *,
    size: tuple[int, int] = DEFAULT_SIZE,
    fps: int = DEFAULT_FPS,
    frames: int = DEFAULT_FRAMES,
    cancel: Cancel = None,
    animate: str = "race",
    steps_range: tuple[int, int | None] = (0, None),
    pacing: str = "early",
) -> Iterator[Progress]:
    """Any export of a scene by ``what`` (default: from the file suffix); yields progress."""
    what = what or what_for_suffix(path)
    if what == "animation":
        return iter_export_animation(
            scene, path, size, fps, frames, cancel, animate=animate, steps_range=steps_range, pacing=pacing
        )
    if what == "data":
        return iter_export_data(scene, path)
    if what in ("contour", "panels"):
        return iter_export_image(scene, path, what, size)
    raise ExportError(f"cannot export {what!r} from a scene; choose one of contour, panels, animation, data")


def export(
    scene: RaceScene,
    path: str | Path,
    what: str | None = None,
    *,
    size: tuple[int, int] = DEFAULT_SIZE,
    fps: int = DEFAULT_FPS,
    frames: int = DEFAULT_FRAMES,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Cancel = None,
    animate: str = "race",
    steps_range: tuple[int, int | None] = (0, None),
    pacing: str = "early",
) -> Path:
    """Write one export synchronously (the CLI's path); return the file written."""
    gen = iter_export(
        scene,
        path,
        what,
        size=size,
        fps=fps,
        frames=frames,
        cancel=cancel,
        animate=animate,
        steps_range=steps_range,
        pacing=pacing,
    )
    drain(gen, progress)
    return Path(path)
