"""A pyqtgraph PlotItem that builds its hidden "Plot Options" form only when something needs it.

Every ``pg.PlotItem`` builds, in ``__init__``, the form of its right-click "Plot Options" menu
(``Ui_Form``: ~40 widgets, a menu of six sub-menus, a WidgetGroup over them): about half of
making a plot, eight times before the window's first paint, for menus this app never shows.
The form cannot simply be left out: it also holds the plot's log and grid state
(``setLogMode``/``showGrid`` tick its check boxes, ``updateLogMode``/``updateGrid``/``addItem``
read them back).

Here the six widgets those calls touch (log x/y, grid x/y, grid alpha, average) are stood in for by
plain values with the same methods and the same "only on a change" signal behaviour. Anything
else that reaches for the form — the right-click menu, ``ctrlMenu``, ``stateGroup``,
``saveState``, a PlotDataItem's alpha or downsampling — builds the real form then, carrying the
stood-in values over without re-running their effects. Plots look and behave the same.

The constructor is pyqtgraph 0.14.0's minus the form, so it is used only with that version
(``LAZY_FORM``); any other version gets pyqtgraph's own constructor (the form built at once).
tests/gui/test_lazy_plot.py compares the attributes both constructors make.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import pyqtgraph as pg
from pyqtgraph import functions as fn
from pyqtgraph import icons
from pyqtgraph.graphicsItems.ButtonItem import ButtonItem
from pyqtgraph.graphicsItems.LabelItem import LabelItem
from pyqtgraph.graphicsItems.PlotItem import PlotItem as _PlotItemClass
from pyqtgraph.graphicsItems.PlotItem import plotConfigTemplate_generic as ui_template
from pyqtgraph.graphicsItems.ViewBox import ViewBox
from pyqtgraph.Qt import QtCore, QtGui, QtWidgets
from pyqtgraph.WidgetGroup import WidgetGroup

#: The pyqtgraph versions whose PlotItem.__init__ LazyFormPlotItem.__init__ repeats.
COPIED_FROM = ("0.14.0",)
LAZY_FORM = pg.__version__ in COPIED_FROM
translate = QtCore.QCoreApplication.translate
#: the Plot Options menu: its title and (sub-menu title, the form's group) as pyqtgraph makes them
PLOT_OPTIONS = "Plot Options"
MENU_GROUPS = (
    ("Transforms", "transformGroup"),
    ("Downsample", "decimateGroup"),
    ("Average", "averageGroup"),
    ("Alpha", "alphaGroup"),
    ("Grid", "gridGroup"),
    ("Points", "pointsGroup"),
)


class _Check:
    """A stand-in check box: ``setChecked`` calls ``on_toggle(checked)`` only on a change."""

    def __init__(self, on_toggle: Callable[[bool], None]) -> None:
        self._checked = False
        self._on_toggle = on_toggle

    def isChecked(self) -> bool:
        return self._checked

    def setChecked(self, checked: bool) -> None:
        if bool(checked) != self._checked:
            self._checked = bool(checked)
            self._on_toggle(self._checked)


class _Slider:
    """A stand-in 0 … maximum slider: values are clamped, ``on_change`` runs on a change."""

    def __init__(self, value: int, maximum: int, on_change: Callable[[int], None]) -> None:
        self._value = value
        self._maximum = maximum
        self._on_change = on_change

    def value(self) -> int:
        return self._value

    def maximum(self) -> int:
        return self._maximum

    def setValue(self, value: int) -> None:
        value = min(max(int(value), 0), self._maximum)
        if value != self._value:
            self._value = value
            self._on_change(value)


class _FormStandIn:
    """``plot.ctrl`` until the real form is built: the log, grid and average widgets as plain
    values (what setLogMode, showGrid and addItem of a curve read); any other widget builds the
    form and is taken from it."""

    #: the stand-in check boxes (all unticked in Ui_Form), and the grid slider's value and maximum
    CHECKS = ("logXCheck", "logYCheck", "xGridCheck", "yGridCheck", "averageGroup")
    GRID_ALPHA = (128, 255)

    def __init__(self, plot: LazyFormPlotItem) -> None:
        ref = weakref.ref(plot)  # no cycle plot → ctrl → plot

        # the slots pyqtgraph connects these widgets' signals to
        def log(_checked: bool) -> None:
            ref().updateLogMode()

        def grid(*_value: object) -> None:
            ref().updateGrid()

        def average(checked: bool) -> None:
            ref().avgToggled(checked)

        self._plot = ref
        self.logXCheck = _Check(log)
        self.logYCheck = _Check(log)
        self.xGridCheck = _Check(grid)
        self.yGridCheck = _Check(grid)
        self.averageGroup = _Check(average)
        self.gridAlphaSlider = _Slider(*self.GRID_ALPHA, grid)

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):
            raise AttributeError(name)
        plot = self._plot()
        if plot is None:
            raise AttributeError(name)
        return getattr(plot.build_form(), name)


@contextmanager
def one_layout_pass(layout: pg.GraphicsLayout) -> Iterator[None]:
    """Items added to ``layout`` inside are laid out once, on leaving, not once per item.

    pyqtgraph's ``GraphicsLayout.addItem`` lays the whole grid out again after every item (for
    use without an event loop): building the six line plots laid out 1 + 2 + … + 7 plots, every
    axis and view box resized each time, at a size the window never shows. The result of the
    one pass is the same.
    """
    grid = layout.layout
    grid.activate = lambda: None  # hides the C++ method from pyqtgraph's Python call
    try:
        yield
    finally:
        del grid.activate
        grid.activate()


class LabelCachingAxis(pg.AxisItem):
    """``pg.AxisItem`` that re-parses its label's HTML only when the label's text changes.

    pyqtgraph sets the label's HTML again on every range change (to update an automatic SI
    prefix), pen change and label call, even when the string is the same: ~320 parses of rich
    text before the first paint (2 % of the instructions to it), nearly all of them no-ops.
    The label looks the same: only identical strings are skipped.
    """

    _label_html: str | None = None
    _rect: QtCore.QRectF | None = None

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.geometryChanged.connect(self._drop_rect)  # (a bound method: held weakly)

    # -- the bounding rect, kept ------------------------------------------------------------
    # Qt asks every axis for its rect at each repaint that walks it; with a grid pyqtgraph's
    # maps the view box's rect into the axis every time (≈ 10–17 µs of Python, a dozen times a
    # repaint of the per-weight plots). It depends on the axis' geometry, its grid, tick length
    # and label overlap setting, and with a grid on the linked view box's geometry (a sibling in
    # the plot's layout: their offset is in the two geometries): it is kept until one changes.
    # A zoom moves neither. Comparing those at every call cost nearly as much as pyqtgraph's,
    # so the changes say so: both geometryChanged signals, setGrid, setStyle.

    def _drop_rect(self, *_: object) -> None:
        self._rect = None

    def boundingRect(self) -> QtCore.QRectF:
        """pyqtgraph's rect, found again after a change that moves it (see above)."""
        if self._rect is not None:
            return QtCore.QRectF(self._rect)
        rect = super().boundingRect()
        view = self.linkedView() if self.grid is not False else None
        if view is None or view.parentItem() is self.parentItem():  # else its offset may move
            self._rect = rect
        return QtCore.QRectF(rect)

    def linkToView(self, view: ViewBox) -> None:
        old = self.linkedView()
        super().linkToView(view)
        if old is not view:
            view.geometryChanged.connect(self._drop_rect)
        self._rect = None

    def unlinkFromView(self) -> None:
        view = self.linkedView()
        super().unlinkFromView()
        if view is not None:
            with suppress(RuntimeError, TypeError):  # not connected (linked by pyqtgraph's constructor)
                view.geometryChanged.disconnect(self._drop_rect)
        self._rect = None

    def setGrid(self, grid: int | float | bool) -> None:
        super().setGrid(grid)
        self._rect = None

    def setStyle(self, **kwargs: object) -> None:
        super().setStyle(**kwargs)
        self._rect = None

    def _updateLabel(self) -> None:
        html = self.labelString()
        if html != self._label_html:
            self._label_html = html
            self.label.setHtml(html)
        self._adjustSize()
        self.picture = None
        self.update()


def set_axis_fonts(axis: pg.AxisItem, tick_font: QtGui.QFont, label_font: QtGui.QFont) -> None:
    """An axis' fonts (presentation mode), its width and title made for them.

    pyqtgraph sizes an axis and places its title when its tick font is set or it is resized, not
    when its title's font changes: set after the ticks' (as every view did), a 1.5× title kept the
    width and place of the old one and lay across the colour bar's numbers.
    """
    axis.label.setFont(label_font)
    axis.setStyle(tickFont=tick_font)  # sizes the axis with the new title's height
    axis.resizeEvent()  # and puts the title at the side again (no resize if the width held)


class LazyFormPlotItem(_PlotItemClass):
    """``pg.PlotItem`` whose Plot Options form is built on first use (see the module's note)."""

    #: enableMenu when the constructor is called without it (a subclass may differ)
    default_menu = True

    def __init__(
        self,
        parent: QtCore.QObject | None = None,
        name: str | None = None,
        labels: dict[str, str] | None = None,
        title: str | None = None,
        viewBox: ViewBox | None = None,
        axisItems: dict[str, pg.AxisItem] | None = None,
        enableMenu: bool | None = None,
        **kwargs: object,
    ) -> None:
        self._ctrl_menu: QtWidgets.QMenu | None = None
        self._state_group: WidgetGroup | None = None
        self._form_built = not LAZY_FORM
        if enableMenu is None:
            enableMenu = self.default_menu
        if not LAZY_FORM:
            super().__init__(parent, name, labels, title, viewBox, axisItems, enableMenu, **kwargs)
            return
        # pyqtgraph 0.14.0's PlotItem.__init__, without building the Plot Options form
        pg.GraphicsWidget.__init__(self, parent)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding)
        self.autoBtn = ButtonItem(icons.getGraphPixmap("auto"), 14, self)
        self.autoBtn.mode = "auto"
        self.autoBtn.clicked.connect(self.autoBtnClicked)
        self.buttonsHidden = False
        self.mouseHovering = False
        self.layout = QtWidgets.QGraphicsGridLayout()
        self.layout.setContentsMargins(1, 1, 1, 1)
        self.setLayout(self.layout)
        self.layout.setHorizontalSpacing(0)
        self.layout.setVerticalSpacing(0)
        if viewBox is None:
            viewBox = ViewBox(parent=self, enableMenu=enableMenu)
        self.vb = viewBox
        self.vb.sigStateChanged.connect(self.viewStateChanged)
        self.setMenuEnabled(enableMenu, None)
        if name is not None:
            self.vb.register(name)
        self.vb.sigRangeChanged.connect(self.sigRangeChanged)
        self.vb.sigXRangeChanged.connect(self.sigXRangeChanged)
        self.vb.sigYRangeChanged.connect(self.sigYRangeChanged)
        self.vb.sigRangeChangedManually.connect(self.sigRangeChangedManually)
        self.layout.addItem(self.vb, 2, 1)
        self.alpha = 1.0
        self.autoAlpha = True
        self.spectrumMode = False
        self.legend = None
        self.axes = {}
        self.setAxisItems(axisItems)
        self.titleLabel = LabelItem("", size="11pt", parent=self)
        self.layout.addItem(self.titleLabel, 0, 1)
        self.setTitle(None)
        for i in range(4):
            self.layout.setRowPreferredHeight(i, 0)
            self.layout.setRowMinimumHeight(i, 0)
            self.layout.setRowSpacing(i, 0)
            self.layout.setRowStretchFactor(i, 1)
        for i in range(3):
            self.layout.setColumnPreferredWidth(i, 0)
            self.layout.setColumnMinimumWidth(i, 0)
            self.layout.setColumnSpacing(i, 0)
            self.layout.setColumnStretchFactor(i, 1)
        self.layout.setRowStretchFactor(2, 100)
        self.layout.setColumnStretchFactor(1, 100)
        self.items = []
        self.curves = []
        self.itemMeta = weakref.WeakKeyDictionary()
        self.dataItems = []
        self.paramList = {}
        self.avgCurves = {}
        self.avgPen = fn.mkPen((0, 200, 0))
        self.avgShadowPen = fn.mkPen((0, 0, 0), width=4)
        self.ctrl = _FormStandIn(self)
        self.fileDialog = None
        if labels is None:
            labels = {}
        for label in list(self.axes.keys()):
            if label in kwargs:
                labels[label] = kwargs.pop(label)
        for k in labels:
            if isinstance(labels[k], str):
                labels[k] = (labels[k],)
            self.setLabel(k, *labels[k])
        if title is not None:
            self.setTitle(title)
        if kwargs:
            self.plot(**kwargs)

    def setAxisItems(self, axisItems: dict[str, pg.AxisItem] | None = None) -> None:
        """pyqtgraph's, with the axes it would make itself made as LabelCachingAxis; shown as
        pyqtgraph shows its own (left and bottom, and any given).

        Every axis ticks in the values' own units: below 1, pyqtgraph rescales an axis with a
        title and notes it there, so a loss of 0.3 read "300" on a colour bar titled "L (x0.001)";
        and an axis without a shown title re-rendered its hidden one at every range change.
        """
        given = dict(axisItems or {})
        made = {
            side: LabelCachingAxis(side, parent=self)
            for side in ("top", "bottom", "left", "right")
            if side not in given and side not in self.axes
        }
        for axis in (*given.values(), *made.values()):
            axis.enableAutoSIPrefix(False)
        super().setAxisItems({**given, **made})
        for side in made:
            self.showAxis(side, side in ("left", "bottom"))

    @property
    def form_built(self) -> bool:
        """Whether the Plot Options form exists (for tests and benchmarks)."""
        return self._form_built

    @property
    def ctrlMenu(self) -> QtWidgets.QMenu | None:
        if not self._form_built:
            self.build_form()
        return self._ctrl_menu

    @ctrlMenu.setter
    def ctrlMenu(self, menu: QtWidgets.QMenu | None) -> None:
        self._ctrl_menu = menu

    @property
    def stateGroup(self) -> WidgetGroup:
        if not self._form_built:
            self.build_form()
        return self._state_group

    @stateGroup.setter
    def stateGroup(self, group: WidgetGroup) -> None:
        self._state_group = group

    def build_form(self) -> object:
        """Build the Plot Options form and its menu (as pyqtgraph 0.14.0's ``__init__`` does),
        set its log and grid widgets to the stood-in values without re-applying them; returns
        ``self.ctrl``."""
        if self._form_built:
            return self.ctrl
        self._form_built = True
        stand_in = self.ctrl
        w = QtWidgets.QWidget()
        c = ui_template.Ui_Form()
        c.setupUi(w)
        for name in _FormStandIn.CHECKS:
            getattr(c, name).setChecked(getattr(stand_in, name).isChecked())
        c.gridAlphaSlider.setValue(stand_in.gridAlphaSlider.value())
        self.ctrl = c
        # pyqtgraph's own titles in its own context (names, not literals: not the app's to translate)
        menu_items = [(translate("PlotItem", title), getattr(c, group)) for title, group in MENU_GROUPS]
        self.ctrlMenu = QtWidgets.QMenu(translate("PlotItem", PLOT_OPTIONS))
        for name, grp in menu_items:
            sm = self.ctrlMenu.addMenu(name)
            act = QtWidgets.QWidgetAction(self)
            act.setDefaultWidget(grp)
            sm.addAction(act)
        self.stateGroup = WidgetGroup()
        for _name, grp in menu_items:
            self.stateGroup.autoAdd(grp)
        # connected after the values were set: their effects were applied when they were stood in
        c.alphaGroup.toggled.connect(self.updateAlpha)
        c.alphaSlider.valueChanged.connect(self.updateAlpha)
        c.autoAlphaCheck.toggled.connect(self.updateAlpha)
        c.xGridCheck.toggled.connect(self.updateGrid)
        c.yGridCheck.toggled.connect(self.updateGrid)
        c.gridAlphaSlider.valueChanged.connect(self.updateGrid)
        c.fftCheck.toggled.connect(self.updateSpectrumMode)
        c.subtractMeanCheck.toggled.connect(self.updateSubtractMeanMode)
        c.logXCheck.toggled.connect(self.updateLogMode)
        c.logYCheck.toggled.connect(self.updateLogMode)
        c.derivativeCheck.toggled.connect(self.updateDerivativeMode)
        c.phasemapCheck.toggled.connect(self.updatePhasemapMode)
        c.downsampleSpin.valueChanged.connect(self.updateDownsampling)
        c.downsampleCheck.toggled.connect(self.updateDownsampling)
        c.autoDownsampleCheck.toggled.connect(self.updateDownsampling)
        c.subsampleRadio.toggled.connect(self.updateDownsampling)
        c.meanRadio.toggled.connect(self.updateDownsampling)
        c.clipToViewCheck.toggled.connect(self.updateDownsampling)
        c.avgParamList.itemClicked.connect(self.avgParamListClicked)
        c.averageGroup.toggled.connect(self.avgToggled)
        c.maxTracesCheck.toggled.connect(self._handle_max_traces_toggle)
        c.forgetTracesCheck.toggled.connect(self.updateDecimation)
        c.maxTracesSpin.valueChanged.connect(self.updateDecimation)
        return c


class LazyColorBar(pg.ColorBarItem, LazyFormPlotItem):
    """``pg.ColorBarItem`` on a LazyFormPlotItem. ColorBarItem turns its menus off right after
    constructing its plot; built without them, its ViewBox never makes the menu it would drop."""

    default_menu = False
