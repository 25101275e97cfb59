"""Help → About: the versions and paths a teacher needs when reporting a problem.

Library versions come from package metadata, not imports, so the box never imports sympy
(a second) just to print a number. The numba cache location comes from ``engine._cache``;
by the time anyone opens Help the worker has imported the engine, so that costs nothing.
"""

from __future__ import annotations

import platform
import sys
from html import escape
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from gui.crash import app_version, log_path

LIBRARIES = (
    ("PySide6", ("PySide6-Essentials", "PySide6")),
    ("pyqtgraph", ("pyqtgraph",)),
    ("NumPy", ("numpy",)),
    ("numba", ("numba",)),
    ("llvmlite", ("llvmlite",)),
    ("SymPy", ("sympy",)),
)


def _dist_version(names: tuple[str, ...]) -> str:
    for name in names:
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    module = sys.modules.get(names[-1].lower())
    return str(getattr(module, "__version__", "not installed"))


def about_info() -> dict[str, str]:
    """Label → value, in display order; plain data so it is testable without a dialog."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from engine._cache import CACHE_DIR, NOTES

    info = {
        "Optimizer Lab": app_version(),
        "Python": f"{platform.python_version()} ({platform.python_implementation()}, {sys.platform})",
        "Qt": qVersion(),
    }
    for label, names in LIBRARIES:
        info[label] = pyside_version if label == "PySide6" else _dist_version(names)
    info["numba cache"] = " — ".join([str(CACHE_DIR), *NOTES])  # why it is temporary, what was rebuilt
    info["Log file"] = str(log_path())
    return info


TAGLINE = "Watch gradient-descent optimizers work, step by step, on a loss surface."


def data_credits() -> list[str]:
    """Who made each built-in dataset and under what licence (the registry's ``credit``)."""
    from engine.datasets import DATASETS

    return [f"{d.title}: {d.credit}" for d in DATASETS.values()]


def about_html(
    info: dict[str, str], tagline: str = TAGLINE, credits: list[str] | None = None, data_title: str = "Data"
) -> str:
    rows = "".join(
        f"<tr><td><b>{escape(label)}</b>&nbsp;&nbsp;</td><td>{escape(value)}</td></tr>"
        for label, value in info.items()
    )
    credit = "".join(f"<br>{escape(c)}" for c in credits or [])
    data = f"<p><b>{escape(data_title)}</b>{credit}</p>" if credit else ""
    return f"<h3>Optimizer Lab</h3><p>{escape(tagline)}</p><table>{rows}</table>{data}"


def show_about(parent: Any = None) -> Any:
    """Open the About box (modal); returns the QMessageBox so tests can inspect it."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QMessageBox

    info = about_info()
    box = QMessageBox(parent)
    box.setWindowTitle(QCoreApplication.translate("About", "About Optimizer Lab"))
    box.setTextFormat(Qt.TextFormat.RichText)
    tagline = QCoreApplication.translate(
        "About", "Watch gradient-descent optimizers work, step by step, on a loss surface."
    )
    data_title = QCoreApplication.translate("About", "Built-in data")
    box.setText(about_html(info, tagline, data_credits(), data_title))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    icon = _app_icon_pixmap()
    if icon is not None:
        box.setIconPixmap(icon)
    box.setDetailedText(  # copy-paste
        "\n".join([*(f"{label}: {value}" for label, value in info.items()), *data_credits()])
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()
    return box


def _app_icon_pixmap() -> Any:
    from pathlib import Path

    from PySide6.QtGui import QPixmap

    path = Path(__file__).resolve().parents[1] / "resources" / "icons" / "optimizer-lab-64.png"
    return QPixmap(str(path)) if path.exists() else None
