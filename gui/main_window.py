"""The main window: wires the control panel and the views to the race model and its worker.

It owns no race state: the racers, the edit log and the recorded rows live in the race
model (``gui.race.RaceModel`` over ``engine.race.Race``). Controls change the model, the
worker drives it, and the views draw what it reports. Redraws happen on a timer at most
every ``REDRAW_MS``, however fast the chunks arrive.
"""

from __future__ import annotations

import gc
import json
import math
import time
from collections.abc import Sequence
from dataclasses import replace
from html import escape as html_escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSlider,
    QSplitter,
    QStyle,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from engine.atomic import clean_leftovers_in
from engine.config import DEFAULT_RACERS, ConfigError, RacerConfig, SessionConfig
from engine.losses import LOSSES
from engine.optimizers import OPTIMIZERS
from engine.race import Race
from gui.i18n import LANGUAGES, current_language, ltr, table_html, tr_engine, translate_message, whole_name
from gui.lessons import Lesson, LessonError
from gui.panels.controls import ControlPanel
from gui.panels.inspector import Inspector, Timeline
from gui.panels.lesson_panel import LessonPanel
from gui.panels.status import FormulaCard, StatusTable, fmt
from gui.race import RaceModel
from gui.session_files import SessionFiles
from gui.settings import remembered_json
from gui.slots import weak_slot
from gui.views.contour import READOUT_MARGIN_PX, STILL_PX, ContourView
from gui.views.panels import ROWS, STEP_WINDOWS, PerWeightPanels
from gui.worker import REDRAW_MS, GhostPath, RaceWorker, SurfacePayload, drop_source_cache

if TYPE_CHECKING:  # built after the first paint (MainWindow.finish_building)
    from gui.data_dock import DataDock
    from gui.maps_dock import MapsDock

#: While playing, the numbers (readout, table, timeline) change every this many frames (5 Hz).
NUMBERS_EVERY = 6
# They change on a frame that brings rows (which repaints the contour anyway: the readout and the
# arrows' labels go in the same repaint), or this many frames later if no rows come.
NUMBERS_WAIT = 2
# A frame due within this many seconds of the put-off pair of line plots ran in the same pass of
# the event loop (MainWindow._frame_due).
PASS_S = 0.002
# Narrower than this, the contour's readout leaves out η and uses a smaller font.
READOUT_COMPACT_BELOW_PX = 430
# …and with more racers than this: twelve full rows covered a third of the contour and, on
# Rosenbrock, its minimum (each racer's η is in the racers list and the formula card)
READOUT_FULL_RACERS = 6
# …and where even one compact column is wider than the plot, names are cut to these lengths in
# turn, then left out (0)
READOUT_NAME_LIMITS = (12, 8, 4, 0)
PANEL_KEYS = tuple(key for key, *_ in ROWS)
#: ``MainWindow._pair_due`` for all six line plots at once (slow speeds).
ALL_PLOTS = -1
#: Speed slider stops, in steps per second.
SPEEDS = (1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1500, 3000, 10_000, 30_000, 100_000, math.inf)
#: The first start plays 10 steps a second: the first 50 steps, where the optimizers differ
#: most, take 5 s, slow enough to follow in a lecture. It is marked "1×" on the slider.
DEFAULT_SPEED = 10
DEFAULT_SPEED_INDEX = SPEEDS.index(DEFAULT_SPEED)
#: Up to this many rows a second (steps per second × racers: 5 racers at 60 steps/s, 12 at 20)
#: the six line plots take their rows together, with the numbers (5 Hz): one repaint of the
#: plots instead of three (the window's CPU at 1×: benchmarks/HISTORY.md, "The live window"). More, and two
#: plots a frame in turn: twelve racers' six plots at 60 steps/s were one 56 ms job.
PLOTS_TOGETHER_ROWS = 300
#: A data surface whose window is wider or taller than this ratio is drawn with free axes.
MAX_LOCKED_ASPECT = 20.0
#: The inspector names at most this many rows of a minibatch (then "…").
MAX_ROWS_NAMED = 12
DEFAULT_SIZE = QSize(1366, 768)
#: Presentation mode (F11): text, lines, markers and legend this much larger.
PRESENTATION_SCALE = 1.5
#: Ctrl+plus / Ctrl+minus go through these interface sizes.
ZOOM_STEPS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.7, 2.0)
# the most a window manager's title bar and borders add around a window
FRAME_ALLOWANCE = QSize(16, 48)


def first_size(available: QSize) -> tuple[QSize, bool]:
    """The window's size on a first start, and whether to maximize it.

    1366×768 is also a common lab screen: there the window plus its title bar would hang off
    the bottom, hiding the status bar that says "compiling…". A screen without room gets a
    maximized window instead.
    """
    room = available - FRAME_ALLOWANCE
    if room.width() >= DEFAULT_SIZE.width() and room.height() >= DEFAULT_SIZE.height():
        return QSize(DEFAULT_SIZE), False
    return room.boundedTo(DEFAULT_SIZE), True


class ColumnSplitter(QSplitter):
    """The centre column (contour above, status and inspector below). At its first layout the
    bottom gets room for the status table's header and ``STATUS_ROWS`` rows, as far as the
    contour keeps two thirds: a fixed split left the default race's fifth racer behind a scroll
    bar at 1366×768 (in Persian, whose font is taller)."""

    STATUS_ROWS = 5

    def __init__(self, bottom: QTabWidget, table: StatusTable) -> None:
        super().__init__(Qt.Vertical)
        self._bottom, self._table, self._fitted = bottom, table, False

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._fitted or self.count() < 2 or self.height() <= 0:
            return
        self._fitted = True
        total = self.height() - self.handleWidth()
        # the tabs' own height beyond the page (tab bar, pane frame; from hints: the pages have
        # no geometry yet) plus the table's
        frame = self._bottom.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, self._bottom)
        chrome = self._bottom.tabBar().sizeHint().height() + 2 * frame
        need = min(chrome + self._table.height_for(self.STATUS_ROWS), total // 3)
        self.setSizes([total - need, need])


class MainWindow(QMainWindow):
    """Optimizer Lab's window."""

    engine_ready = Signal()
    language_change_requested = Signal(str)
    _clock = staticmethod(time.perf_counter)  # seconds; tests stop it

    def __init__(self, start_notes: Sequence[str] = ()) -> None:
        """``start_notes``: what the app could not use when it started (a settings file moved aside)."""
        super().__init__()
        self.setWindowTitle(self.tr("Optimizer Lab"))
        self.settings = QSettings()
        self._start_notes = [translate_message(note) for note in start_notes]
        self.race = RaceModel(Race(), self)
        self.surface = None
        self.start_point: tuple[float, float] = (0.0, 0.0)
        self.playing = False
        self._dirty = False
        # While playing, what has not been drawn since the race last changed: the line plots'
        # three pairs (drawn in turn) and "numbers" (drawn on the 5 Hz frames). A frame with no
        # new rows draws only these, so at 10 steps/s two frames in three leave the contour be.
        self._behind: set[int | str] = set()
        self._frame = 0
        self._numbers_at = -NUMBERS_EVERY - NUMBERS_WAIT  # the frame the numbers last changed on
        self._numbers_shown = 0  # how many times they changed (the readout's corner: every third)
        self._readout_html = ""
        self._readout_one_column: tuple[int, tuple[str, ...]] | None = None  # (plot width, names): one column
        # (plot width, names) → the names' length that fits it (0: none), where the whole did not
        self._readout_fits: tuple[tuple[int, tuple[str, ...]], int] | None = None
        self._ready = False
        self._hovered_racer: str | None = None  # inspected by hovering, not selected
        self._error_column = 0  # where the last typed loss went wrong (1-based; 0: nowhere)
        self.ui_scale = 1.0  # presentation mode and Ctrl+plus/minus
        self._base_font: QFont | None = None
        self._resume: dict[str, Any] | None = None  # a race handed over by another window
        self.sessions = SessionFiles(self)
        drop_source_cache()  # what importing pyqtgraph left behind

        self.controls = ControlPanel()
        self.contour = ContourView()
        self.contour.gives_way = True  # its legend fades over the racers under it
        self.panels = PerWeightPanels()
        self.status_table = StatusTable()
        self.formula = FormulaCard()
        self.inspector = Inspector()
        self.lesson_panel = LessonPanel()
        # Built after the first paint (finish_building): hidden docks and the lessons' menus.
        self._maps: MapsDock | None = None
        self._data_dock: DataDock | None = None
        self._data_dock_opened = False  # the window showed the Data dock itself (a data loss)
        self._lessons: list[Lesson] = []
        self._finished = False
        self._engine_started = False
        # A session file given on the command line (a double-click on it): raced instead of the
        # remembered race once the engine starts (open_at_start).
        self._session_at_start: Path | None = None
        self._play_after_reset = False
        self.timeline = Timeline()
        # Plots, the step timeline and the formulas read left to right in every language.
        for widget in (self.contour, self.panels, self.timeline, self.formula, self.inspector):
            widget.setLayoutDirection(Qt.LeftToRight)
        self._build_layout()
        self._build_actions()
        self._connect_controls()

        self.worker = RaceWorker(self.race.engine)
        self.worker.engine_ready.connect(self._engine_ready)
        self.worker.busy.connect(self._busy)
        self.worker.surface_ready.connect(self._surface_ready)
        self.race.reset.connect(self._race_reset)
        self.race.racers_changed.connect(self._racers_changed)
        self.race.relabelled.connect(self._relabel)
        self.worker.chunks_ready.connect(self._chunks_ready)
        self.worker.playing_changed.connect(self._playing_changed)
        self.worker.race_finished.connect(self._race_finished)
        self.worker.error.connect(self._worker_error)
        self.worker.loss_error_column.connect(self._loss_error_column)
        self.worker.ghost_ready.connect(self._ghost_ready)
        self.worker.failed.connect(self._worker_failed)
        self.controls.compile_cancelled.connect(self.worker.cancel_compile)
        self.controls.expression_typing.connect(self.worker.prepare_compiler)

        # a pair of line plots (or all six: ALL_PLOTS) due on a frame that repaints the contour
        # waits half a frame (_redraw)
        self._pair_due: int | None = None
        self._pair_timer = QTimer(self, singleShot=True, interval=REDRAW_MS // 2)
        self._pair_timer.timeout.connect(self._draw_due_pair)
        self._pair_drawn_at = -1.0  # time.perf_counter() when it was last drawn
        self._frame_drawn_at = -1.0  # … and the last frame
        self.redraw_timer = QTimer(self, interval=REDRAW_MS)
        self.redraw_timer.timeout.connect(self._frame_due)
        self.redraw_timer.start()
        self._restore_settings()
        self._show_start_notes(keep=True)
        self._show_config()
        self.controls.setEnabled(False)  # its start point and surface fields fill in with the surface
        self._show_formula()

    # -- layout ---------------------------------------------------------------------------
    def _build_standardize_hint(self) -> QWidget:
        """One line over the contour when a racer diverges on raw data, with the fix as a button."""
        self.standardize_hint = QWidget()
        self.standardize_hint.setObjectName("standardize_hint")
        self.standardize_hint.setStyleSheet("#standardize_hint { background: #fff4d6; }")
        row = QHBoxLayout(self.standardize_hint)
        row.setContentsMargins(6, 2, 6, 2)
        self.standardize_hint_label = QLabel()
        self.standardize_hint_label.setWordWrap(True)
        self.standardize_hint_button = QPushButton(self.tr("Standardise features"))
        self.standardize_hint_button.setObjectName("standardize_hint_button")
        self.standardize_hint_button.clicked.connect(weak_slot(self._standardize_from_hint))
        row.addWidget(self.standardize_hint_label, stretch=1)
        row.addWidget(self.standardize_hint_button)
        self.standardize_hint.hide()
        return self.standardize_hint

    def _show_standardize_hint(self) -> None:
        """Say it when a racer diverged on a data loss with raw features: its two weights have scales
        so different that a learning rate small enough for one overshoots along the other."""
        data = self.config.data
        diverged = [k for k, h in self.histories.items() if h.status == "diverged"]
        if data is None or data.standardize or not diverged:
            self.standardize_hint.hide()
            return
        names = ", ".join(self.race.labels(diverged).values())
        self.standardize_hint_label.setText(
            self.tr(
                "{0} diverged: on raw features the loss is a narrow ravine, and no one learning rate "
                "suits both weights. Standardised, it is a round bowl."
            ).format(names)
        )
        self.standardize_hint.show()

    def _standardize_from_hint(self) -> None:
        self.standardize_hint.hide()
        self.controls.standardize_check.setChecked(True)  # the race restarts on the standardised loss

    def _build_layout(self) -> None:
        controls_scroll = QScrollArea()
        controls_scroll.setWidget(self.controls)
        controls_scroll.setWidgetResizable(True)
        controls_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.left_tabs = QTabWidget()
        self.left_tabs.addTab(controls_scroll, self.tr("Controls"))
        self.left_tabs.addTab(self.lesson_panel, self.tr("Lesson"))
        self.left_tabs.setMinimumWidth(300)
        self.left_tabs.setMaximumWidth(400)
        scroll = self.left_tabs
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(0)
        top_layout.addWidget(self._build_standardize_hint())
        top_layout.addWidget(self.contour, stretch=1)
        top_layout.addWidget(self.timeline)
        self.bottom_tabs = QTabWidget()
        self.bottom_tabs.addTab(self.status_table, self.tr("Status"))
        self.bottom_tabs.addTab(self.inspector, self.tr("Step inspector"))
        self.bottom_tabs.currentChanged.connect(weak_slot(self._mark_dirty))
        centre = self.centre = ColumnSplitter(self.bottom_tabs, self.status_table)
        centre.addWidget(top)
        centre.addWidget(self.bottom_tabs)
        centre.setStretchFactor(0, 4)
        centre.setStretchFactor(1, 1)
        centre.setSizes([540, 170])
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(2)
        right_layout.addWidget(self.formula)
        right_layout.addWidget(self._build_step_window_bar())
        right_layout.addWidget(self.panels, stretch=1)
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([310, 590, 460])
        self.setCentralWidget(self.splitter)
        self.busy_label = QLabel()
        self.statusBar().addPermanentWidget(self.busy_label)
        self.resize(DEFAULT_SIZE)

    def _build_step_window_bar(self) -> QWidget:
        """ "Plots show: [all steps ▾]": the first N steps at full width, where the optimizers
        differ most (the wheel on a plot zooms its step axis too; its "A" button undoes that)."""
        bar = QWidget()
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(4, 0, 4, 0)
        label = QLabel(self.tr("Plots show:"))
        self.step_window_combo = QComboBox()
        self.step_window_combo.setObjectName("step_window_combo")
        for limit in STEP_WINDOWS:
            text = (
                self.tr("all steps") if limit is None else self.tr("the first {0} steps").format(f"{limit:,}")
            )
            self.step_window_combo.addItem(text, limit)
        self.step_window_combo.setToolTip(
            self.tr("Show only the first steps in the per-weight plots, across their full width")
        )
        label.setBuddy(self.step_window_combo)
        self.step_window_combo.currentIndexChanged.connect(self._step_window_chosen)
        layout.addWidget(label)
        layout.addWidget(self.step_window_combo)
        layout.addStretch(1)
        return bar

    def _step_window_chosen(self, index: int) -> None:
        self.panels.set_step_window(self.step_window_combo.itemData(index))
        self._dirty = True
        self._redraw()

    def _action(self, text: str, slot: object, shortcut: object = None, checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ApplicationShortcut)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        style = self.style()
        self._play_icon = style.standardIcon(QStyle.SP_MediaPlay)
        self._pause_icon = style.standardIcon(QStyle.SP_MediaPause)
        self.play_action = self._action(self.tr("Play"), self.toggle_play, Qt.Key_Space)
        self.play_action.setIcon(self._play_icon)
        self.play_action.setToolTip(self.tr("Play / pause (Space)"))
        self.step_action = self._action(self.tr("Step"), self.step_once, Qt.Key_Right)
        self.step_action.setIcon(style.standardIcon(QStyle.SP_MediaSkipForward))
        self.step_action.setToolTip(self.tr("One step (→)"))
        self.reset_action = self._action(self.tr("Reset"), self.reset_race, Qt.Key_R)
        self.reset_action.setIcon(style.standardIcon(QStyle.SP_MediaSkipBackward))
        self.reset_action.setToolTip(self.tr("Back to step 0 (R)"))
        self.open_action = self._action(self.tr("Open session…"), self.open_session_dialog, QKeySequence.Open)
        self.save_action = self._action(self.tr("Save session…"), self.save_session_dialog, QKeySequence.Save)
        self.export_action = self._action(self.tr("Export…"), self.export_dialog, "Ctrl+E")
        self.fullscreen_action = self._action(self.tr("Full screen"), self.toggle_full_screen, None, True)
        self.presentation_action = self._action(
            self.tr("Presentation (lecture hall)"), self.toggle_presentation, Qt.Key_F11, True
        )
        self.presentation_action.setToolTip(
            self.tr("Full screen with text, lines, markers and the legend {0}× larger").format(
                PRESENTATION_SCALE
            )
        )
        self.zoom_in_action = self._action(
            self.tr("Larger"), weak_slot(self.zoom_interface, 1), QKeySequence.ZoomIn
        )
        self.zoom_out_action = self._action(
            self.tr("Smaller"), weak_slot(self.zoom_interface, -1), QKeySequence.ZoomOut
        )
        self.reset_view_action = self._action(self.tr("Reset view"), self.reset_view, "Ctrl+0")
        quit_action = self._action(self.tr("Quit"), self.close, QKeySequence.Quit)
        self.back_action = self._action(
            self.tr("Timeline back"), weak_slot(self.timeline.nudge, -1), Qt.Key_Left
        )
        self.forward_action = self._action(
            self.tr("Timeline forward"), weak_slot(self.timeline.nudge, 1), QKeySequence("Shift+Right")
        )

        bar = QToolBar(self.tr("Playback"))
        bar.setObjectName("playback_toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        for action in (self.play_action, self.step_action, self.reset_action):
            bar.addAction(action)
        bar.addSeparator()
        bar.addWidget(QLabel(self.tr(" Speed ")))
        self.speed_slider = QSlider(Qt.Horizontal)
        self.speed_slider.setObjectName("speed_slider")
        self.speed_slider.setRange(0, len(SPEEDS) - 1)
        self.speed_slider.setValue(DEFAULT_SPEED_INDEX)
        self.speed_slider.setFixedWidth(170)
        self.speed_slider.valueChanged.connect(self._speed_changed)
        bar.addWidget(self.speed_slider)
        self.speed_label = QLabel(self.speed_text(SPEEDS[DEFAULT_SPEED_INDEX]))
        self.speed_label.setMinimumWidth(130)
        bar.addWidget(self.speed_label)
        bar.addSeparator()
        self.vector_actions: dict[str, QAction] = {}
        # The toolbar shows the bare symbol; the View menu says what it is. Symbols sit in
        # left-to-right isolates: in a right-to-left menu a bare "−g" read "g-".
        for key, symbol, name, tip in (
            (
                "grad",
                "−g",
                self.tr("{0} arrow (steepest descent)"),
                self.tr("Show the gradient arrow (steepest descent direction)"),
            ),
            (
                "M",
                "−M",
                self.tr("{0} arrow (momentum)"),
                self.tr("Show −M, the direction momentum pushes the step"),
            ),
            ("dw", "Δw", self.tr("{0} arrow (the step taken)"), self.tr("Show the step actually taken")),
            (
                "glyph",
                "√G",
                self.tr("{0} ellipse"),
                self.tr("Show an ellipse with √G per axis: a long axis means a small rate on that weight"),
            ),
        ):
            isolated = f"\u2066{symbol}\u2069"
            action = QAction(name.format(isolated), self, checkable=True, checked=True)
            action.setIconText(isolated)
            action.setToolTip(tip)
            action.toggled.connect(weak_slot(self._toggle_vector, key, signal_args=1))
            bar.addAction(action)
            self.vector_actions[key] = action
        bar.addSeparator()
        self.log_loss_action = QAction(self.tr("log L"), self, checkable=True, checked=True)
        self.log_loss_action.setToolTip(self.tr("Log scale for the loss plot"))
        self.log_loss_action.toggled.connect(weak_slot(self.panels.set_log, "loss", signal_args=1))
        bar.addAction(self.log_loss_action)
        self.addToolBar(bar)
        # twelve racers' rows on a projector's narrow plot hide racers: the table has them too
        self.legend_action = QAction(self.tr("Legend on the plot"), self, checkable=True, checked=True)
        self.legend_action.setToolTip(self.tr("Each racer's name and loss over the contour"))
        self.legend_action.toggled.connect(weak_slot(self._legend_toggled, signal_args=1))

        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu(self.tr("Open recent"))
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        run_menu = menu.addMenu(self.tr("&Run"))
        for action in (self.play_action, self.step_action, self.reset_action):
            run_menu.addAction(action)
        run_menu.addSeparator()
        run_menu.addAction(self.back_action)
        run_menu.addAction(self.forward_action)
        view_menu = self.view_menu = menu.addMenu(self.tr("&View"))
        view_menu.addAction(self.presentation_action)
        view_menu.addAction(self.fullscreen_action)
        view_menu.addAction(self.zoom_in_action)
        view_menu.addAction(self.zoom_out_action)
        view_menu.addAction(self.reset_view_action)
        view_menu.addSeparator()
        for action in self.vector_actions.values():
            view_menu.addAction(action)
        view_menu.addAction(self.log_loss_action)
        view_menu.addAction(self.legend_action)
        language_menu = view_menu.addMenu(self.tr("Language"))
        self.language_actions: dict[str, QAction] = {}
        current = "fa" if self.layoutDirection() == Qt.RightToLeft else "en"
        for code, name in LANGUAGES.items():
            action = language_menu.addAction(name)  # each language in its own name
            action.setCheckable(True)
            action.setChecked(code == current)
            action.triggered.connect(weak_slot(self._choose_language, code))
            self.language_actions[code] = action
        # filled after the first paint (_fill_lesson_menus): the first frame shows only their titles
        self.lessons_menu = menu.addMenu(self.tr("&Lessons"))
        self.compare_menu = menu.addMenu(self.tr("&Compare"))
        help_menu = menu.addMenu(self.tr("&Help"))
        self.shortcuts_action = self._action(self.tr("Keyboard shortcuts"), self.show_shortcuts, "F1")
        self.glossary_action = self._action(self.tr("Symbols (η, G, M, ε, α, β, g, Δw)"), self.show_glossary)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.glossary_action)
        self.help_lessons_menu = help_menu.addMenu(self.tr("Lessons"))
        help_menu.addSeparator()
        help_menu.addAction(self._action(self.tr("About Optimizer Lab"), self.show_about))
        self.sessions.refresh_menu()

    def _connect_controls(self) -> None:
        c = self.controls
        c.loss_chosen.connect(self.choose_loss)
        c.loss_param_changed.connect(self._loss_param_changed)
        c.start_changed.connect(self.set_start)
        c.start_reset.connect(self._start_reset)
        c.racer_toggled.connect(self._racer_toggled)
        c.racer_selected.connect(self._racer_selected)
        c.racer_changed.connect(self._racer_changed)
        c.racer_added.connect(self._add_racer)
        c.racer_duplicated.connect(self._duplicate_racer)
        c.racer_removed.connect(self.race.remove)
        c.racer_moved.connect(self.race.move)
        c.steps_changed.connect(self._steps_changed)
        c.data_chosen.connect(self.choose_data)
        c.csv_requested.connect(self.open_csv_dialog)
        c.gradient_changed.connect(self._gradient_changed)
        self.contour.start_picked.connect(self._start_picked)
        self.contour.view_changed.connect(self.worker_regrid)
        self.contour.reset_view_requested.connect(self.reset_view)
        self.contour.plot.vb.sigResized.connect(weak_slot(self._mark_dirty))  # readout may go compact
        self.status_table.racer_clicked.connect(self._racer_selected)
        self.timeline.cursor_changed.connect(self._cursor_changed)
        self.lesson_panel.play_requested.connect(self._play_lesson)
        self.lesson_panel.chosen.connect(self.open_lesson)
        self.lesson_panel.highlight.connect(self.highlight)
        self.lesson_panel.closed.connect(self._show_controls)
        self.panels.step_picked.connect(self._step_picked)
        self.contour.step_picked.connect(self._trail_picked)
        self.contour.step_hovered.connect(self._trail_hovered)

    # -- start-up: the first frame, then the rest ------------------------------------------------
    def finish_building(self) -> None:
        """Build what the first frame does not show: the lessons and their menus, the Maps and
        Data docks (hidden until asked for). Done once, after the first paint, so the window
        appears sooner; anything that needs them earlier builds them by asking."""
        if self._finished:
            return
        self._finished = True
        notes = len(self._start_notes)
        self._lessons = self._load_lessons()
        self._fill_lesson_menus()
        self._build_maps()
        self._build_data_dock()
        if len(self._start_notes) > notes:  # a teacher's lesson file could not be read
            self._show_start_notes(keep=True)

    @property
    def lessons(self) -> list[Lesson]:
        self.finish_building()
        return self._lessons

    @property
    def maps(self) -> MapsDock:
        self.finish_building()
        assert self._maps is not None
        return self._maps

    @property
    def data_dock(self) -> DataDock:
        self.finish_building()
        assert self._data_dock is not None
        return self._data_dock

    def _fill_lesson_menus(self) -> None:
        language = current_language()
        for lesson in self._lessons:
            target = self.lessons_menu if lesson.kind == "lesson" else self.compare_menu
            action = target.addAction(f"{lesson.order}. {lesson.text('title', language)}")
            action.triggered.connect(weak_slot(self.open_lesson, lesson))
        for menu in (self.lessons_menu, self.compare_menu):
            menu.setEnabled(bool(menu.actions()))
            self.help_lessons_menu.addActions(menu.actions())
        self.help_lessons_menu.setEnabled(bool(self.help_lessons_menu.actions()))
        self.lesson_panel.show_choices(self._lessons, language)  # the tab before a lesson is open

    # -- engine lifecycle -------------------------------------------------------------------
    def start_engine(self) -> None:
        """Start the worker once the window has painted; it loads the kernels in the background.

        Called once (later calls do nothing): gui.app calls it after the first paint, since the
        worker's imports (numba) would otherwise hold the interpreter while the window paints.
        """
        if self._engine_started:
            return
        self._engine_started = True
        self.finish_building()
        self.worker.start()
        self.worker.set_speed(SPEEDS[self.speed_slider.value()])
        path, self._session_at_start = self._session_at_start, None
        if path is not None and self.open_session(path):  # its race instead of the remembered one
            return
        self.worker.configure(self.config)

    def open_at_start(self, path: Path) -> None:
        """Race this session file when the engine starts (``main.py lab1.olab.json``, a double-click
        on the file); a file that cannot be opened is said in a message and the usual race starts."""
        self._session_at_start = Path(path)

    def _engine_ready(self) -> None:
        self._ready = True
        self.settings.setValue("engine_loaded_once", True)  # later starts don't promise a first compile
        # Everything built so far (Qt wrappers, numba's type system) lives as long as the app:
        # keep it out of the collector's full passes, which otherwise stall a frame (~50 ms).
        gc.freeze()
        self.engine_ready.emit()

    def _busy(self, text: str) -> None:
        # the worker says what it does in a fixed word; the window says it in the user's language
        shown = {"compiling…": self.tr("compiling…")}.get(text, text)
        self.busy_label.setText(f"<b>{shown}</b>" if shown else "")
        if text and not self._ready:
            first = not self.settings.value("engine_loaded_once", False, type=bool)
            self.contour.set_notice(
                "<b>{}</b><br>{}".format(
                    self.tr("Loading the optimizers…"),
                    self.tr("The first start compiles them for this computer: about half a minute, once.")
                    if first
                    else self.tr("A few seconds."),
                )
            )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ui_scale != 1.0:  # the application's font is shared: give it back as it was
            self.set_ui_scale(1.0)
        self._save_settings()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self, timeout_ms: int = 3000) -> bool:
        """Ask the worker to stop and join it; False if it is still busy (e.g. compiling).

        Never ``terminate()``: a thread killed while it holds the GIL deadlocks the process.
        A chunk ends within milliseconds; only a first-time numba compile can take longer,
        and ``run_app`` waits that out after the window has gone.
        """
        self.redraw_timer.stop()
        if self._maps is not None:
            self._maps.shutdown()
        if not self.worker.isRunning():
            return True
        self.worker.stop()
        return self.worker.wait(timeout_ms)

    # -- the race (read from the model; the window keeps no copy) -------------------------------
    @property
    def config(self) -> SessionConfig:
        """The race as a session: its racers as at step 0 and the edits since."""
        return self.race.config

    @property
    def racers(self) -> dict[str, RacerConfig]:
        """Each racer's current settings, by key."""
        return self.race.current()

    @property
    def histories(self) -> dict:
        """Each racer's recorded rows, by key (the model's record)."""
        return self.race.histories

    def _show_config(self, config: SessionConfig | None = None) -> None:
        config = config or self.config
        racers = {r.key: r for r in config.current_racers()}
        labels = self.race.labels(list(racers), config)
        self.controls.set_config(config, racers, config.start or self.start_point, labels)
        self._show_gradient(config)

    def _show_gradient(self, config: SessionConfig | None = None) -> None:
        """The gradient box: the data's row count (0 on a formula surface) and the race's settings."""
        config = config or self.config
        problem = getattr(self.surface, "data", None) if self.surface is not None else None
        rows = problem.n if problem is not None and config.data is not None else 0
        self.controls.set_gradient(
            rows=rows,
            standardize=config.data is not None and config.data.standardize,
            batch_size=config.batch_size,
            own_batches=any(r.seed is not None for r in config.racers),
            noise=config.noise,
            seed=config.seed,
        )

    # -- config changes -----------------------------------------------------------------------
    def apply_config(
        self, config: SessionConfig, *, keep_surface: bool = False, own_racers: bool = False
    ) -> None:
        """Race a new configuration from step 0 (with the race's racers unless ``own_racers``)."""
        self.worker.configure(config, keep_surface=keep_surface, own_racers=own_racers)

    def choose_loss(self, spec: str) -> None:
        self.controls.set_loss_error("")
        self.controls.set_compiling(spec not in LOSSES)  # a typed loss compiles (Cancel stops it)
        same = spec == self.config.loss and self.config.data is None
        params = self.config.loss_params if same else {}
        self.apply_config(
            replace(self.config, loss=spec, data=None, loss_params=params, start=None, view=None)
        )

    def choose_data(self, spec: Any) -> None:
        """Race on a data loss (a ``DataSpec``): the full-data loss is the contour, from its own start."""
        self.controls.set_loss_error("")
        self.apply_config(replace(self.config, data=spec, loss_params={}, start=None, view=None))

    def open_csv_dialog(self) -> None:
        """ "Open CSV…": the file, its two columns, the model; refused files are said in the dialog."""
        from gui.data_dialog import DataDialog

        dialog = DataDialog(self, str(self.settings.value("csv_dir", str(Path.home()))))
        if dialog.exec() and dialog.spec is not None:
            self.settings.setValue("csv_dir", str(Path(dialog.spec.dataset).parent))
            self.choose_data(dialog.spec)
        else:  # the picker goes back to what races
            self.controls.show_surface_choice(self.config.loss, self.config.data)

    def _gradient_changed(self, change: dict[str, Any]) -> None:
        """Standardisation, batch size, same/own batches, noise σ or seed: the race restarts with it.

        Standardising changes the surface (other coordinates: its own start and view); the others
        keep it. "Own batches" gives racer i the seed (race seed + i + 1), "same" clears them.
        """
        ((name, value),) = change.items()
        config = self.config
        try:
            if name == "standardize":
                if config.data is None:
                    return
                data = replace(config.data, standardize=bool(value))
                self.apply_config(replace(config, data=data, start=None, view=None))
                return
            if name == "own_batches":
                racers = tuple(
                    replace(r, seed=config.seed + i + 1 if value else None)
                    for i, r in enumerate(config.current_racers())
                )
                self.apply_config(
                    replace(config, racers=racers, edits=()), keep_surface=True, own_racers=True
                )
                return
            new = replace(config, **{name: value})
            if name == "seed":
                # own batches stay own: each racer's seed follows the race's
                racers = tuple(
                    replace(r, seed=new.seed + i + 1) if r.seed is not None else r
                    for i, r in enumerate(config.current_racers())
                )
                new = replace(new, racers=racers, edits=())
                self.apply_config(new, keep_surface=True, own_racers=True)
                return
        except ConfigError as exc:
            self.controls.show_gradient_error(exc.args[0])
            return
        self.apply_config(new, keep_surface=True)

    def _loss_param_changed(self, name: str, value: float) -> None:
        params = {**self.config.loss_params, name: value}
        self.apply_config(replace(self.config, loss_params=params))

    def set_start(self, x: float, y: float) -> None:
        try:
            self.race.update(start=(x, y))  # shown at once; the race restarts from there
        except ConfigError as exc:
            self.statusBar().showMessage(translate_message(exc), 5000)
            return
        self.apply_config(self.config, keep_surface=True)
        selected = self.racers.get(self.controls.selected)
        if selected is not None and selected.enabled:  # its whole path from here, at once
            self.worker.ghost(self.config, selected)

    def _start_picked(self, x: float, y: float) -> None:
        x, y = float(f"{x:.4g}"), float(f"{y:.4g}")
        self.controls.set_start((x, y))
        self.set_start(x, y)

    def _start_reset(self) -> None:
        self.apply_config(replace(self.config, start=None), keep_surface=True)

    def _racer_toggled(self, name: str, enabled: bool) -> None:
        self.race.set_enabled(name, enabled)

    def _add_racer(self, optimizer: str) -> None:
        self._change_racers(self.race.add, optimizer)

    # -- maps ----------------------------------------------------------------------------------
    def _build_maps(self) -> None:
        """The Maps dock (View ▸ Maps): the selected racer from every start, or over two settings."""
        from gui.maps_dock import MapsDock

        maps = self._maps = MapsDock(self, self._map_context)
        maps.start_chosen.connect(self.set_start)
        maps.setting_chosen.connect(self._map_setting_chosen)
        for signal in (
            self.race.reset,
            self.race.racers_changed,
            self.race.edited,
            self.controls.racer_selected,
            self.contour.view_changed,
        ):
            signal.connect(maps.refresh)
        action = maps.toggleViewAction()
        action.setText(self.tr("Maps"))
        action.setShortcut(QKeySequence("Ctrl+M"))
        self.view_menu.insertAction(self.view_menu.actions()[0], action)

    def _build_data_dock(self) -> None:
        """The Data dock (View ▸ Data): the table and the selected racer's model moving over it."""
        from gui.data_dock import DataDock

        dock = self._data_dock = DataDock(self)
        dock.visibilityChanged.connect(weak_slot(self._mark_dirty))
        action = dock.toggleViewAction()
        action.setText(self.tr("Data"))
        action.setShortcut(QKeySequence("Ctrl+D"))
        self.view_menu.insertAction(self.view_menu.actions()[1], action)

    def _show_data(self) -> None:
        """Give the Data dock the race's data problem (None on a formula surface)."""
        problem = getattr(self.surface, "data", None) if self.surface is not None else None
        switched = (problem is None) != (self.data_dock.problem is None)
        if problem is None:
            self.data_dock.set_problem(None, "", "")
            if switched and self._data_dock_opened:  # it opened for the data: a formula needs the room
                self.data_dock.hide()
            self._data_dock_opened = False
            return
        spec = problem.spec
        scaled = self.tr("{0} (standardised)")
        x_label = scaled.format(spec.x) if spec.standardize else spec.x
        if spec.model == "logistic":
            y_label = f"P({spec.y} = {spec.positive})" if spec.positive else f"P({spec.y} = 1)"
        else:
            y_label = scaled.format(spec.y) if spec.standardize else spec.y
        self.data_dock.set_problem(problem, x_label, y_label)
        # a data loss is about the model fitting the data: show them when the race turns to data
        # (hidden, a learner who picked the penguins never saw the line move). Closed on a data
        # loss, it stays closed until the race leaves the data and comes back.
        if switched and not self.data_dock.isVisible():
            self._data_dock_opened = True
            self.data_dock.show()

    def batch_rows(self, key: str, step: int) -> Any:
        """The rows racer ``key``'s minibatch used at ``step`` (None: a full batch, or no data)."""
        from engine.data import batch_indices

        problem = getattr(self.surface, "data", None)
        c = self.config
        if problem is None or step < 1 or c.batch_size <= 0 or c.batch_size >= problem.n:
            return None
        racer = self.race.settings_at(key, step)
        seed = c.seed if racer is None else c.seed_of(racer)
        return batch_indices(problem.n, c.batch_size, seed, step)

    def _update_data_view(self) -> None:
        if not self.data_dock.isVisible() or self.data_dock.problem is None:
            return
        name = self.controls.selected
        history = self.histories.get(name)
        if history is None:
            self.data_dock.show_model(None, "", None)
            return
        cursor = self.timeline.cursor
        i = len(history) - 1 if cursor is None else history.row_at_step(cursor)
        w = history.vec("w")[i]
        step = int(history.step[i])
        rows = self.batch_rows(name, step)
        diverged = history.status == "diverged" and i == len(history) - 1
        self.data_dock.show_model((float(w[0]), float(w[1])), self.race.color(name), rows, diverged=diverged)

    def _map_context(self) -> dict | None:
        """What the Maps panel maps now: the selected racer on the race's surface, start and view."""
        racer = self.racers.get(self.controls.selected) if self.surface is not None else None
        if racer is None:
            return None
        c = self.config
        return {
            "loss": c.loss,
            "optimizer": racer.optimizer,
            "hyperparameters": dict(racer.hyperparameters),
            "start": tuple(c.start or self.surface.start),
            "view": self.contour.current_view(),
            "steps": c.steps,
            "schedule": racer.schedule,
            "tol": c.tol,
            "surface_params": dict(self.surface.params),
        }

    def _map_setting_chosen(self, name1: str, value1: float, name2: str, value2: float) -> None:
        """A hyperparameter map's pixel: that setting races as a new racer (a surface parameter,
        such as κ, changes the surface for everyone)."""
        chosen = {name1: value1, name2: value2}
        own = {k: v for k, v in chosen.items() if self.surface is not None and k in self.surface.params}
        settings = {k: v for k, v in chosen.items() if k not in own}
        if own:
            self.apply_config(replace(self.config, loss_params={**self.config.loss_params, **own}))
        if settings and self.controls.selected in self.racers:
            self._change_racers(lambda key: self.race.duplicate(key, **settings), self.controls.selected)

    def _duplicate_racer(self, key: str) -> None:
        self._change_racers(self.race.duplicate, key)

    def _change_racers(self, change: object, arg: str) -> None:
        """Add or duplicate; a refusal (a 13th racer) is said under the list, nothing changes."""
        try:
            key = change(arg)
        except ConfigError as exc:
            self.controls.show_racer_message(exc.args[0])
            return
        self.controls.show_racer_message("")
        self._racer_selected(key)

    def _racers_changed(self) -> None:
        """Racers added, removed or reordered: views follow, the others' records are kept."""
        self.controls.set_racers(self.racers, self.race.labels(list(self.racers)))
        self._show_racers()
        if self.controls.selected in self.racers:
            self._racer_selected(self.controls.selected)
        self._dirty = True

    def _racer_selected(self, name: str) -> None:
        self._hovered_racer = None
        if name != self.controls.selected:
            self.contour.set_ghost(None)  # it showed another racer's "what if"
        if self.controls.selected != name:
            self.controls.select_racer(name)
        self.panels.set_selected(name)
        self._show_formula()
        self._dirty = True

    def _relabel(self) -> None:
        names = list(self.histories)
        self.controls.set_racers(self.racers, self.race.labels(list(self.racers)))
        self.status_table.set_racers(names, self.race.labels(names), self.race.colors(names))
        self.panels.set_key(names, self.race.labels(names))
        self._show_formula()
        self._dirty = True

    def _racer_changed(self, racer: RacerConfig) -> None:
        self.race.edit(racer)  # from the racer's next step on, logged at the step it is at
        if racer.key == self.controls.selected:  # where these settings lead, drawn at once
            self.worker.ghost(self.config, racer)
        self._show_formula()
        self._dirty = True

    def _steps_changed(self, steps: int) -> None:
        self.race.update(steps=steps)
        self.worker.post("limit", steps)

    def worker_regrid(self, view: tuple[float, float, float, float]) -> None:
        self.race.update(view=view)
        self.worker.regrid(view)

    # -- playback ---------------------------------------------------------------------------------
    def toggle_play(self) -> None:
        if not self.playing:
            self.timeline.set_cursor(None)
        self.worker.set_playing(not self.playing)

    def step_once(self) -> None:
        self.worker.step_once()

    def reset_race(self) -> None:
        self.worker.restart()

    def speed_text(self, speed: float) -> str:
        if math.isinf(speed):
            return self.tr("max speed")
        text = self.tr("1 step/s") if speed == 1 else self.tr("{0} steps/s").format(f"{speed:,.0f}")
        return text + (" (1×)" if speed == DEFAULT_SPEED else "")

    def _speed_changed(self, index: int) -> None:
        self.speed_label.setText(self.speed_text(SPEEDS[index]))
        self.worker.set_speed(SPEEDS[index])

    def _playing_changed(self, playing: bool) -> None:
        self.playing = playing
        if not playing:
            self._take_chunks()  # the last rows, before anything reads the paused race
            # the inspector explains the newest step: it and the one before, exact
            self.race.exact_around(self.timeline.cursor)
        self._dirty = True  # a last full frame when it stops: all plots, table and readout
        self.play_action.setText(self.tr("Pause") if playing else self.tr("Play"))
        self.play_action.setIcon(self._pause_icon if playing else self._play_icon)
        if not playing:  # drawn now, not at the redraw timer's next tick (up to a frame later)
            self._redraw()

    def _race_finished(self, why: str) -> None:
        if why == "limit":
            self.statusBar().showMessage(
                self.tr("Step limit {0} reached — raise it to go on.").format(f"{self.config.steps:,}"), 6000
            )
        else:
            self.statusBar().showMessage(self.tr("Every optimizer has converged or diverged."), 6000)

    # -- worker results ---------------------------------------------------------------------------
    def _surface_ready(self, payload: SurfacePayload) -> None:
        surface = payload.surface
        reset_view = self.surface is None or surface is not self.surface
        self.contour.set_notice("")
        self.controls.setEnabled(True)
        self.surface = surface
        x0, x1, y0, y1 = payload.view
        ratio = (x1 - x0) / (y1 - y0)
        # a data loss on raw columns spans very different ranges: at 1:1 its ravine is a hairline
        square = 1 / MAX_LOCKED_ASPECT < ratio < MAX_LOCKED_ASPECT
        self.contour.set_aspect_locked(surface.data is None or square)
        self.contour.set_surface(
            payload.xs,
            payload.ys,
            payload.picture,
            surface.minima,
            # a new surface shows its grid's window: the saved view if there is one, else its own
            reset_view=reset_view,
        )
        self.controls.set_surface_info(surface.name, surface.formula, dict(surface.params), surface.note)
        self.controls.show_surface_choice(surface.spec(), getattr(surface.data, "spec", None))
        self._show_data()
        self._show_gradient()
        self.controls.set_loss_error("")
        if payload.config is not None:
            self.controls.set_compiling(False)
        if surface.note:
            self.statusBar().showMessage(tr_engine(surface.note), 8000)
        else:
            self.statusBar().clearMessage()  # an earlier error no longer applies
        self._show_start_notes()

    def _show_start_notes(self, keep: bool = False) -> None:
        """Say what was dropped at start (a remembered race, a settings file); again once the map shows."""
        if self._start_notes:
            self.statusBar().showMessage("  ".join(self._start_notes), 30000)
            if not keep:
                self._start_notes = []

    def _ghost_ready(self, path: GhostPath) -> None:
        """The selected racer's whole path with the settings just tried (nothing is raced)."""
        if path.racer == self.controls.selected and path.racer in self.histories:
            self.contour.set_ghost(path.w, self.race.colors([path.racer]).get(path.racer, "#333333"))
            if path.status == "diverged":  # the dashed path only runs off the plot: say why
                label = self.race.labels([path.racer]).get(path.racer, path.racer)
                self.statusBar().showMessage(
                    self.tr(
                        "What if: with these settings {0} diverges within {1} steps (the dashed path)."
                    ).format(label, len(path.w) - 1),
                    10000,
                )

    def _race_reset(self) -> None:
        """A fresh race from step 0: every view starts over from the model's records."""
        self.contour.set_ghost(None)  # the race itself now shows where the settings lead
        histories = self.histories
        start = next(iter(histories.values())).vec("w")[0] if histories else (self.config.start or (0.0, 0.0))
        self.start_point = (float(start[0]), float(start[1]))
        self._show_standardize_hint()
        self._show_config()
        self._show_racers()
        names = list(histories)
        if names and self.controls.selected not in names:  # inspect someone who is racing
            self._racer_selected(names[0])
        self.panels.set_selected(self.controls.selected)
        self._show_formula()
        self._dirty = True
        if self._resume is not None:
            state, self._resume = self._resume, None
            self._replay(state)
        if self._play_after_reset:
            self._play_after_reset = False
            self.worker.set_playing(True)

    # -- a race carried over to a rebuilt window (another language) -------------------------------
    def race_state(self) -> dict[str, Any]:
        """What a new window needs to go on with this race exactly: the race as a session (its
        racers at the start and the edits made while it ran), the step it reached, the open lesson."""
        return {
            "config": self.config,
            "step": max((h.last_step for h in self.histories.values()), default=0),
            "lesson": self.lesson_panel.lesson,
            "selected": self.controls.selected,
        }

    def resume(self, state: dict[str, Any]) -> None:
        """Go on with another window's race (``race_state``) once this one's engine is ready."""
        self._resume = state

    def _replay(self, state: dict[str, Any]) -> None:
        lesson = state["lesson"]
        if lesson is not None:  # its text only: the race is the one handed over, not a fresh one
            self.lesson_panel.show_lesson(lesson, current_language())
            self.left_tabs.setCurrentWidget(self.lesson_panel)
        self.controls.select_racer(state["selected"])
        # the race replays its edits at their steps on the way to the step it had reached
        self.apply_config(state["config"], keep_surface=True, own_racers=True)
        self.worker.advance_to(state["step"])

    def _show_racers(self) -> None:
        """Give the views the racing racers: keys, labels and colours, in race order."""
        names = list(self.histories)
        colors = self.race.colors(names)
        self.contour.set_racers(self._legend_labels(names), self.start_point, colors)
        no_m = [n for n in names if not OPTIMIZERS[self.race.optimizer(n)].m_meaning]
        self.panels.set_racers(names, without_momentum=no_m, labels=self.race.labels(names), colors=colors)
        self.panels.set_selected(self.controls.selected)
        self.status_table.set_racers(names, self.race.labels(names), colors)

    def _legend_labels(self, names: list[str] | None = None) -> dict[str, str]:
        racers = self.racers
        names = [n for n in (self.histories if names is None else names) if n in racers]
        # η beside the label, not in it too ("Adam η=0.1  η=0.1"); the labels worked out once
        labels = self.race.labels(names, leave_out=("lr",))
        return {n: f"{labels[n]}  η={racers[n].hyperparameters['lr']:g}" for n in names}

    def _chunks_ready(self) -> None:
        """Rows are waiting: playing, the next frame takes them (one pull a frame, however many
        ticks the worker ran); otherwise (a step, a jump) take them now."""
        if self.playing:
            self._dirty = True
        else:
            self._take_chunks()

    def _take_chunks(self) -> None:
        chunks = self.worker.take_chunks(self.race.generation)
        if chunks:
            self.race.take_chunks(chunks.generation, chunks)
            self._dirty = True
            self._show_standardize_hint()

    def _loss_error_column(self, column: int) -> None:
        self._error_column = column

    def _worker_error(self, where: str, message: str) -> None:
        if where == "loss":  # the race goes on as it was: show it again
            self.controls.set_compiling(False)
            typed = self.controls.expression_edit.text()
            self._show_config()
            # the previous surface stays, but what the learner typed is theirs to fix: keep it,
            # with the character the message names selected (showing the race's settings again
            # wrote the racing loss into the field)
            self.controls.expression_edit.setText(typed)
            self.controls.set_loss_error(message)
            if 0 < self._error_column <= len(typed):
                self.controls.expression_edit.setSelection(self._error_column - 1, 1)
            self._error_column = 0
        self.statusBar().showMessage(message, 8000)

    def _worker_failed(self, trace: str) -> None:
        self.contour.set_notice("")
        raise RuntimeError(f"the engine worker stopped unexpectedly:\n{trace}")

    # -- drawing ------------------------------------------------------------------------------------
    def _redraw(self) -> None:
        self._take_chunks()
        # every tick counts (the numbers' 5 Hz is in ticks), also one with nothing to draw
        self._frame += 1
        waiting = self.contour.bodies_waiting  # trails kept a frame (ContourView.BODIES_PER_FRAME)
        if not self.histories or not (self._dirty or self._behind or waiting):
            return
        changed, self._dirty = self._dirty, False
        if changed:
            self._behind = {0, 1, 2, "numbers", "data"}
        adaptive = self._adaptive()
        cursor = self.timeline.cursor
        # Numbers (the on-plot readout, the table, the timeline) change at 5 Hz while playing,
        # all on the same frames so they agree: at 30 Hz they cannot be read, and laying out text
        # costs more than moving the racers. They change with rows (the contour repaints for the
        # racers then: one repaint, not a second one between two rows). The contour moves at the
        # frame rate when rows arrive; the line plots in turn, two at a time, so no frame carries all six.
        since = self._frame - self._numbers_at
        numbers = "numbers" in self._behind and (
            not self.playing or since >= NUMBERS_EVERY + NUMBERS_WAIT or (changed and since >= NUMBERS_EVERY)
        )
        if numbers:
            self._numbers_at = self._frame
            self._numbers_shown += 1
            self.timeline.set_maximum(max(h.last_step for h in self.histories.values()))
        # playing live, what moved less than half a pixel is not drawn again (ContourView)
        still_px = STILL_PX if self.playing and cursor is None else 0.0
        if changed or waiting:
            self.contour.update_racers(self.histories, cursor, still_px=still_px)
        if not self.playing:
            self.panels.update_racers(self.histories, adaptive)
            self._behind.difference_update((0, 1, 2))
        # slow, all six with the numbers, half a frame later (a job of its own)
        elif SPEEDS[self.speed_slider.value()] * len(self.histories) <= PLOTS_TOGETHER_ROWS:
            if numbers and self._behind.intersection((0, 1, 2)):
                self._pair_due = ALL_PLOTS
                self._pair_timer.start()
        # faster, each pair at 5 Hz, on odd frames; on a frame that also repaints the contour or changes
        # the numbers (the longest frames flat out), half a frame later, as a job of its own
        elif self._frame % 2 == 1 and (group := (self._frame // 2) % 3) in self._behind:
            if changed or numbers:
                self._pair_due = group
                self._pair_timer.start()
            else:
                self._draw_pair(group, adaptive)
        if changed:
            self.panels.set_cursor(cursor)
        if numbers:
            self._behind.discard("numbers")
            self.status_table.update_racers(self.histories, self.config.steps, self.playing)
            self._update_readout()
        if changed or numbers:
            self._update_selected_vectors(numbers, still_px)
            # a racer under the legend shows through it (playing, it clears after a moment)
            self.contour.give_way(self._clock() if self.playing else None)
        # the data view (the model's line, the batch's rings) with the numbers while playing (5 Hz,
        # on frames that bring rows): each of its repaints covers the whole plot, and at 10 Hz it
        # was an eighth of the window's CPU at 1×; so its line is at the step the readout says
        if "data" in self._behind and (not self.playing or numbers):
            self._behind.discard("data")
            self._update_data_view()
        # explain only what is on screen, on the frames the timeline and legend change too:
        # at every frame it ran steps ahead of the step they showed
        if numbers and self.bottom_tabs.currentWidget() is self.inspector:
            self._update_inspector()

    def _draw_pair(self, group: int, adaptive: dict[str, bool] | None = None) -> None:
        """Line plots ``2·group`` and ``2·group + 1`` take the rows not yet drawn (while playing)."""
        if adaptive is None:
            adaptive = self._adaptive()
        flat_out = math.isinf(SPEEDS[self.speed_slider.value()])
        self.panels.update_racers(
            self.histories, adaptive, PANEL_KEYS[2 * group : 2 * group + 2], stagger=flat_out
        )
        self._behind.discard(group)

    def _adaptive(self) -> dict[str, bool]:
        """Racer key → whether its rule has a G (the others' G plots stay empty)."""
        racers = self.racers
        return {n: OPTIMIZERS[racers[n].optimizer].adaptive for n in self.histories if n in racers}

    def _draw_due_pair(self) -> None:
        """The pair put off by a frame that repainted the contour. Painted in the same pass, the
        contour and two line plots were the longest job with 12 racers flat out (their paints
        took up to 25 and 20 ms of CPU), and the event loop answered nothing in between."""
        if self._clock() - self._frame_drawn_at < PASS_S:
            # the frame ran in this pass (its timer came first): the pair waits for the next one
            self._frame_drawn_at = -1.0
            QTimer.singleShot(1, self, self._draw_due_pair)
            return
        group, self._pair_due = self._pair_due, None
        if group is None or not self.playing or not self.histories:
            return  # paused since (a paused frame draws all six)
        if group == ALL_PLOTS:
            self.panels.update_racers(self.histories, self._adaptive())
            self._behind.difference_update((0, 1, 2))
        elif group in self._behind:
            self._draw_pair(group)
        else:
            return  # drawn already
        self._pair_drawn_at = self._clock()

    def _frame_due(self) -> None:
        """The redraw timer's tick. A GUI thread running late finds the put-off pair and the next
        frame due together, and Qt runs both timers, then both repaints, in one pass of the event
        loop: whichever comes second waits for the next pass (a millisecond), after the first's
        repaint (here the frame; ``_draw_due_pair`` the pair)."""
        if self._clock() - self._pair_drawn_at < PASS_S:
            self._pair_drawn_at = -1.0
            QTimer.singleShot(1, self, self._frame_due)
            return
        self._redraw()
        self._frame_drawn_at = self._clock()
        # faster than a step a frame (and not flat out), the next frame's rows are computed now,
        # while this one paints: one tick a frame; slower, the worker's own clock ticks less often
        if self.playing and 1000 / REDRAW_MS < SPEEDS[self.speed_slider.value()] < math.inf:
            self.worker.frame()

    def step_text(self, step: int) -> str:
        """ "step 120", or "step 120 · epoch 3.8" on a data loss (epochs: passes over the data)."""
        problem = getattr(self.surface, "data", None) if self.surface is not None else None
        if problem is None or self.config.data is None:
            return self.tr("step {0}").format(f"{step:,}")
        from engine.data import epoch_at

        epoch = epoch_at(step, self.config.batch_size, problem.n)
        return self.tr("step {0} · epoch {1}").format(f"{step:,}", f"{epoch:.1f}")

    def _legend_toggled(self, shown: bool) -> None:
        self._readout_html = ""
        if shown and self.histories:
            self._update_readout()
        else:
            self.contour.set_readout("")

    def _update_readout(self) -> None:
        """The on-plot legend: step counter, then each racer's colour, name, η and live loss."""
        if not self.legend_action.isChecked():
            return
        cursor = self.timeline.cursor
        step = max((h.last_step for h in self.histories.values()), default=0) if cursor is None else cursor
        step_text = self.step_text(step)
        # on a narrow plot, or with many racers, the full table would cover half of it: η is in
        # the controls anyway; many racers stand in two columns (a box half as tall)
        many = len(self.histories) > READOUT_FULL_RACERS
        width = self.contour.plot.vb.width()
        compact = many or width < READOUT_COMPACT_BELOW_PX * self.ui_scale
        labels = self.race.labels()
        # where a row shows η, its name need not say it too (a compact legend has no η column)
        beside_eta = labels if compact else self.race.labels(leave_out=("lr",))
        fits = self._readout_fits
        room = (round(width), tuple(labels.get(n, n) for n in self.histories))
        limit = fits[1] if fits is not None and fits[0] == room else None
        cells = self._readout_cells(labels, compact, limit, beside_eta)
        size = f"{(8 if compact else 9) * self.ui_scale:.0f}pt"
        two = many and limit is None and room != self._readout_one_column
        html = self._readout_table(step_text, cells, 2 if two else 1, size)
        if html != self._readout_html:  # laying the table out again costs more than building it
            self._readout_html = html
            # playing, the corner is chosen again every 0.6 s (it weighs every trail's points)
            place = not self.playing or self._numbers_shown % 3 == 0
            self.contour.set_readout(html, place=place)
        room_px = width - 2 * READOUT_MARGIN_PX
        if two and self.contour.readout.boundingRect().width() > room_px:
            # a projector's narrow plot: one column, until the plot or the racers change
            self._readout_one_column = room
            self._readout_html = self._readout_table(step_text, cells, 1, size)
            self.contour.set_readout(self._readout_html, place=True)
        # Still wider than the plot (a narrow plot beside the Data dock): the names are cut
        # short, then left out (the colours and the table below name the racers); the plot
        # cut the box instead, and every loss read "L=0" for "L=0.5706".
        for shorter in READOUT_NAME_LIMITS:
            if self.contour.readout.boundingRect().width() <= room_px:
                break
            if limit is not None and shorter >= limit:
                continue
            limit = shorter
            self._readout_fits = (room, limit)
            cells = self._readout_cells(labels, compact, limit, beside_eta)
            self._readout_html = self._readout_table(step_text, cells, 1, size)
            self.contour.set_readout(self._readout_html, place=True)

    def _readout_cells(
        self,
        labels: dict[str, str],
        compact: bool,
        name_limit: int | None = None,
        beside_eta: dict[str, str] | None = None,
    ) -> list[list[str]]:
        """Each racer's legend cells: its colour, its name (and η unless ``compact``), its loss
        at the step shown. ``name_limit``: names cut to that many characters (0: no names).
        ``beside_eta``: the names to show next to η (two Adams told apart by η say it once)."""
        cursor = self.timeline.cursor
        colors = self.race.colors()
        cells = []
        for name, h in self.histories.items():
            row = len(h) - 1 if cursor is None else h.row_at_step(cursor)
            # η in force at the step shown (it may have been changed mid-run)
            settings = self.race.settings_at(name, int(h.step[row]))
            if settings is None:  # a racer whose removal is on its way
                continue
            lr = settings.hyperparameters["lr"]
            # ✓/✗ only from the step it happened on: at step 15 of a race "L=1.315 ✓" said converged
            ended = cursor is None or cursor >= h.last_step
            state = {"diverged": " ✗", "converged": " ✓"}.get(h.status, "") if ended else ""
            swatch = f"color:{colors.get(name, '#333')}; font-size:{12 * self.ui_scale:.0f}pt"
            # in Persian the name stays one unit and η, the loss and the sample left to right
            eta = "" if compact or name_limit is not None else f" <span dir=ltr>{ltr(f'η={lr:g}')}</span>"
            label = beside_eta[name] if eta and beside_eta is not None else labels[name]
            if name_limit is not None and len(label) > name_limit:
                label = label[: max(name_limit - 1, 0)] + "…" if name_limit else ""
            racer = [f"<td><span style='{swatch}'>{ltr('━●')}</span></td>"]
            if label:
                racer.append(f"<td>{whole_name(html_escape(label))}{eta}</td>")
            racer.append(f"<td align=right>&nbsp;{ltr(f'L={fmt(float(h.loss[row]))}')}{state}</td>")
            cells.append(racer)
        return cells

    @staticmethod
    def _readout_table(step_text: str, cells: list[list[str]], columns: int, size: str) -> str:
        """The readout's HTML: the step, then the racers' cells down one or two columns (from
        the right in Persian: ``table_html``)."""
        height = -(-len(cells) // columns)  # racers down the first column, then the second
        span = max((len(racer) for racer in cells), default=3) * columns + columns - 1
        rows = [[f"<td colspan={span}><b>{step_text}</b></td>"]]
        for i in range(height):
            row: list[str] = []
            for racer in cells[i::height]:
                row += [*(["<td>&nbsp;&nbsp;</td>"] if row else []), *racer]
            rows.append(row)
        return table_html(rows, f"style='font-size:{size}' cellspacing=0")

    def _update_selected_vectors(self, numbers: bool = True, still_px: float = 0.0) -> None:
        name = self.controls.selected
        history = self.histories.get(name)
        if history is None or len(history) < 2:
            self.contour.show_state((0.0, 0.0), None, None, None, None)
            return
        cursor = self.timeline.cursor
        i = len(history) - 1 if cursor is None else history.row_at_step(cursor)
        w = history.vec("w")[i]
        opt = OPTIMIZERS[self.race.optimizer(name)]
        self.contour.show_state(
            (float(w[0]), float(w[1])),
            tuple(history.vec("grad")[i]),
            tuple(history.vec("M")[i]) if opt.m_meaning else None,
            tuple(history.vec("dw")[i]),
            tuple(history.vec("G")[i]) if opt.adaptive else None,
            racer=name,
            numbers=numbers,
            still_px=still_px,
        )

    def _update_inspector(self) -> None:
        name = self._hovered_racer or self.controls.selected
        history = self.histories.get(name)
        if history is None:
            self.inspector.clear()
            return
        cursor = self.timeline.cursor
        row = len(history) - 1 if cursor is None else history.row_at_step(cursor)
        racer = self.race.settings_at(name, int(history.step[row]))  # as it was at that step
        if racer is None:
            self.inspector.clear()
            return
        self.inspector.show_step(
            racer.optimizer,
            dict(racer.hyperparameters),
            racer.schedule,
            history,
            row,
            color=racer.color,
            label=self.race.label(name),
            gradient_note=self.gradient_note(name, int(history.step[row])),
        )

    def gradient_note(self, key: str, step: int) -> str:
        """What racer ``key``'s g at ``step`` was computed on: which rows, how many, the noise."""
        c = self.config
        problem = getattr(self.surface, "data", None) if self.surface is not None else None
        parts = []
        if step >= 1 and problem is not None and c.data is not None:
            rows = self.batch_rows(key, step)
            if rows is None:
                full = self.tr("g at step {0}: the full batch, all {1} rows (the exact gradient)")
                parts.append(full.format(f"{step:,}", problem.n))
            else:
                shown = ", ".join(str(int(r) + 1) for r in rows[:MAX_ROWS_NAMED])
                more = ", …" if len(rows) > MAX_ROWS_NAMED else ""
                parts.append(
                    self.tr("g at step {0}: a minibatch of {1} of the {2} rows (rows {3}), epoch {4}").format(
                        f"{step:,}", len(rows), problem.n, shown + more, f"{self._epoch(step):.2f}"
                    )
                )
        if step >= 1 and c.noise > 0:
            parts.append(self.tr("plus Gaussian noise of σ = {0} on each component").format(f"{c.noise:g}"))
        return "; ".join(parts)

    def _epoch(self, step: int) -> float:
        from engine.data import epoch_at

        return epoch_at(step, self.config.batch_size, self.surface.data.n)

    def _cursor_changed(self, step: int | None) -> None:
        if step is not None:  # the step looked at and its neighbours, exact (the record recomputes them)
            self.race.exact_around(step)
        self._dirty = True

    def _show_controls(self) -> None:
        self.left_tabs.setCurrentIndex(0)

    def _mark_dirty(self) -> None:
        self._dirty = True

    def _step_picked(self, step: int) -> None:
        """A click on a per-weight plot: every racer at that step, the inspector on it."""
        self.timeline.set_cursor(step)
        self.bottom_tabs.setCurrentWidget(self.inspector)

    def _trail_picked(self, name: str, step: int) -> None:
        self._racer_selected(name)
        self._step_picked(step)

    def _trail_hovered(self, name: str, step: int) -> None:
        """Hovering a trail only inspects: the inspector shows that racer's step, while the
        selection (list, formula card, editor) stays until a click."""
        if self.playing:
            return
        self._hovered_racer = name if name != self.controls.selected else None
        self.timeline.set_cursor(step)
        self.bottom_tabs.setCurrentWidget(self.inspector)
        self._dirty = True

    def _show_formula(self) -> None:
        key = self.controls.selected
        self.formula.set_candidates(r.optimizer for r in self.racers.values())
        racer = self.racers.get(key)
        if racer is None:
            self.formula.clear()
            return
        self.formula.show_optimizer(
            racer.optimizer, dict(racer.hyperparameters), racer.schedule, racer.color, self.race.label(key)
        )

    def _toggle_vector(self, key: str, on: bool) -> None:
        self.contour.show_vectors[key] = on
        self._dirty = True

    # -- lessons ----------------------------------------------------------------------------------
    def _load_lessons(self) -> list[Lesson]:
        from gui.lessons import load_lessons

        try:
            return load_lessons()
        except LessonError as exc:  # a teacher's broken file must not stop the app
            self._start_notes.append(translate_message(exc))
            return []

    def open_lesson(self, lesson: Lesson) -> None:
        """Show a lesson's text and set up its race (paused, so the learner can read first)."""
        self.lesson_panel.show_lesson(lesson, current_language())
        self.left_tabs.setCurrentWidget(self.lesson_panel)
        self._apply_session(lesson.config)
        if lesson.map is not None:
            m = lesson.map
            self.maps.show_map(m.kind, m.grid, m.color, m.x, m.y)
        speeds = [
            abs(math.log(max(sp, 1e-9) / lesson.speed)) if not math.isinf(sp) else math.inf for sp in SPEEDS
        ]
        self.speed_slider.setValue(speeds.index(min(speeds)))

    def _play_lesson(self) -> None:
        lesson = self.lesson_panel.lesson
        if lesson is None:
            return
        self._play_after_reset = True
        self.timeline.set_cursor(None)
        self._apply_session(lesson.config)

    def highlight(self, target: str) -> None:
        """Point the learner at a plot (a lesson's "watch this")."""
        if target in self.panels.plots:
            self.panels.flash(target)
        elif target == "contour":
            self.contour.flash()
        elif target == "inspector":
            self.bottom_tabs.setCurrentWidget(self.inspector)

    def _choose_language(self, code: str) -> None:
        for c, action in self.language_actions.items():
            action.setChecked(c == code)
        self.language_change_requested.emit(code)

    # -- view ---------------------------------------------------------------------------------------
    def set_ui_scale(self, scale: float) -> None:
        """Text, lines, markers and the legend ``scale`` times their normal size (1: normal)."""
        app = QApplication.instance()
        if self._base_font is None:
            self._base_font = QFont(app.font())
        self.ui_scale = scale
        font = QFont(self._base_font)
        font.setPointSizeF(self._base_font.pointSizeF() * scale)
        app.setFont(font)
        for view in (self.contour, self.panels, self.data_dock.view):  # from the normal size
            view.set_display_scale(scale, self._base_font)
        # the card grows less, and presenting shows only the rule: at full scale with its notes it
        # took the per-weight plots' room on a 768-px screen
        self.formula.set_display_scale(scale**0.5, compact=self.presentation_action.isChecked())
        self._readout_html = ""  # the legend is laid out again at its new size
        self._dirty = True

    def toggle_presentation(self) -> None:
        """F11: full screen, readable from the back of a room on a 1024×768 projector."""
        on = self.ui_scale == 1.0
        self.presentation_action.setChecked(on)
        self.set_ui_scale(PRESENTATION_SCALE if on else 1.0)
        # the room sees the race, not the controls: the keys (Space, →, R) still work
        self.left_tabs.setVisible(not on)
        self.bottom_tabs.setVisible(not on)  # the legend on the contour has the losses
        if on and not self.isFullScreen():
            self.showFullScreen()
        elif not on and self.isFullScreen():
            self.showNormal()

    def zoom_interface(self, direction: int) -> None:
        """Ctrl+plus / Ctrl+minus: the whole interface a step larger or smaller."""
        steps = [
            s for s in ZOOM_STEPS if (s > self.ui_scale + 1e-9 if direction > 0 else s < self.ui_scale - 1e-9)
        ]
        if steps:
            self.set_ui_scale(steps[0] if direction > 0 else steps[-1])
        self.presentation_action.setChecked(self.ui_scale != 1.0 and self.isFullScreen())

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def reset_view(self) -> None:
        if self.surface is not None:
            self.race.update(view=None)
            self.contour.set_view(self.surface.view)
            self.worker.regrid(self.surface.view)

    # -- sessions -----------------------------------------------------------------------------------
    # -- session files (gui.session_files) ---------------------------------------------------
    def open_session_dialog(self) -> None:
        self.sessions.open_dialog()

    def open_session(self, path: Path) -> bool:
        """Load a session; on any problem say what is wrong and keep the current one."""
        return self.sessions.open(path)

    def _apply_session(self, config: SessionConfig) -> None:
        """Race exactly this configuration: its racers, and its edits replayed at their steps.

        Until its surface is ready the race goes on as it was; if the loss cannot be built,
        nothing changes but the message.
        """
        self._show_config(config)
        self.apply_config(config, own_racers=True)

    def save_session_dialog(self) -> None:
        self.sessions.save_dialog()

    def save_session(self, path: Path) -> bool:
        return self.sessions.save(path)

    # -- export & about (filled in by gui.export / gui.about) ---------------------------------------
    def export_dialog(self) -> None:
        try:
            from gui.export_dialog import ExportDialog
        except ImportError:
            self.statusBar().showMessage(self.tr("Export is not available in this build."), 4000)
            return
        ExportDialog(self).exec()

    def show_shortcuts(self) -> None:
        from gui.help import shortcuts_html, show_text

        self._help_window = show_text(self, self.tr("Keyboard shortcuts"), shortcuts_html(self.actions()))

    def show_glossary(self) -> None:
        from gui.help import glossary_html, show_text

        title = self.tr("Symbols, in the lecture's notation")
        self._help_window = show_text(self, title, f"<h3>{title}</h3>" + glossary_html())

    def show_about(self) -> None:
        try:
            from gui.about import show_about
        except ImportError:
            QMessageBox.about(self, self.tr("Optimizer Lab"), self.tr("Optimizer Lab"))
            return
        show_about(self)

    # -- settings -----------------------------------------------------------------------------------
    def fit_screen(self) -> None:
        """Before the first show: fit a window that has no saved geometry to its screen."""
        if self._geometry_restored:
            return
        size, maximize = first_size(self.screen().availableGeometry().size())
        self.resize(size)
        if maximize:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def _save_settings(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("splitter", self.splitter.saveState())
        # the racers as they are now (a restart's settings); a session file keeps the edits
        config = replace(
            self.config, start=self.config.start or None, racers=self.config.current_racers(), edits=()
        )
        self.settings.setValue("config", json.dumps(config.to_dict()))
        self.settings.setValue("selected", self.controls.selected)
        self.settings.setValue("speed_index", self.speed_slider.value())
        # the number of steps, not the list's index: a later list with other choices reads it right
        self.settings.setValue("step_window", self.step_window_combo.currentData() or 0)

    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        self._geometry_restored = isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)
        splitter = self.settings.value("splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        try:
            data = remembered_json(self.settings, "config", None)
            config = None if data is None else SessionConfig.from_dict(data)
        except (ValueError, ConfigError) as exc:  # a remembered race that fails is dropped, not fatal
            config = None
            self.settings.remove("config")
            self._start_notes.append(
                self.tr(
                    "The remembered race could not be used, so the window starts with the defaults: {0}"
                ).format(translate_message(exc))
            )
        # temporary files of a write that was killed, in the folders this window writes to
        remembered = [self.sessions.folder(), *(Path(p).parent for p in self.sessions.recent())]
        if export_dir := str(self.settings.value("export_dir", "") or ""):
            remembered.append(Path(export_dir))
        clean_leftovers_in(remembered)
        if config is not None:
            self.race.replace_config(config)  # before the worker starts: nothing races yet
        selected = str(self.settings.value("selected", DEFAULT_RACERS[-1]))
        if selected in self.racers:
            self.controls.select_racer(selected)
        try:
            index = int(self.settings.value("speed_index", DEFAULT_SPEED_INDEX))
        except (TypeError, ValueError):
            index = DEFAULT_SPEED_INDEX
        self.speed_slider.setValue(min(max(index, 0), len(SPEEDS) - 1))
        # "Plots show: the first N steps", kept like the speed (a teacher sets it once per lecture)
        try:
            limit = int(self.settings.value("step_window", 0)) or None
        except (TypeError, ValueError):
            limit = None
        if limit in STEP_WINDOWS:  # a value no longer offered: all steps
            self.step_window_combo.setCurrentIndex(STEP_WINDOWS.index(limit))
