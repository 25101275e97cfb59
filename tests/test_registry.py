"""One registry per concept: every optimizer appears everywhere that lists optimizers.

Adding an entry to ``engine.optimizers.OPTIMIZERS`` without its kernel branch, step-inspector
lines, README row, translation or test reference fails here, naming what is missing.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine import _ids
from engine.explain import explain_step
from engine.optimizers import HYPERPARAMETERS, OPTIMIZERS
from engine.state import HYPER
from tests.engine.test_explain import SAFE_ON_ROSENBROCK  # noqa: F401  (its references must cover all)
from tests.engine.test_optimizers import REFERENCES, ROSENBROCK_LR

ROOT = Path(__file__).resolve().parents[1]


def test_kernel_ids_are_the_registry_order_and_each_is_named_in_engine_ids() -> None:
    assert [o.kernel_id for o in OPTIMIZERS.values()] == list(range(len(OPTIMIZERS)))
    names = {v: k for k, v in vars(_ids).items() if k.isupper() and k.replace("_", "").isalpha()}
    for opt in OPTIMIZERS.values():
        constant = opt.id.upper().replace("-", "_")
        assert getattr(_ids, constant, None) == opt.kernel_id, f"engine/_ids.py: {constant} = {opt.kernel_id}"
        assert names.get(opt.kernel_id) is not None


def test_every_optimizer_has_a_kernel_branch_of_its_own() -> None:
    """``_update`` dispatches explicitly: one ``if opt == NAME`` (or a family's ``or``) per rule."""
    source = (ROOT / "engine" / "_kernels.py").read_text(encoding="utf-8")
    body = source[source.index("def _update(") : source.index("def init_state(")]
    for opt in OPTIMIZERS.values():
        constant = opt.id.upper().replace("-", "_")
        assert re.search(rf"opt == {constant}\b", body), (
            f"engine/_kernels._update has no branch for {constant}"
        )
    # the only statement at the function's own level after the branches: NaN for an id without one
    top_level = [
        line for line in body.splitlines() if re.match(r"    \S", line) and not line.startswith("    if ")
    ]
    assert top_level[-1] == "    return math.nan, math.nan, math.nan, math.nan, math.nan", top_level


def test_hyperparameters_have_one_slot_each() -> None:
    assert tuple(HYPERPARAMETERS) == HYPER
    for opt in OPTIMIZERS.values():
        assert set(opt.defaults) <= set(HYPERPARAMETERS), opt.id
        assert "lr" in opt.defaults, opt.id


def test_every_optimizer_is_listed_by_the_command_line() -> None:
    out = subprocess.run(
        [sys.executable, "main.py", "list"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    for opt in OPTIMIZERS.values():
        assert re.search(rf"^  {re.escape(opt.id)}\s+{re.escape(opt.title)}\s", out, re.M), opt.id
        assert opt.formula in out, opt.id


def test_every_optimizer_has_step_inspector_lines() -> None:
    from engine import simulate

    for oid, opt in OPTIMIZERS.items():
        assert callable(opt.explain), f"engine/optimizers.py: {oid} has no explain= lines"
        t = simulate("quadratic", oid, steps=3)
        ex = explain_step(oid, t.hyperparameters, "constant", t, 3)
        for i, lines in enumerate(ex.lines_by_weight):  # the rule's own lines lead to the recorded Δw
            assert any(line.startswith(f"Δw{'₁₂'[i]}(3) = ") for line in lines), (oid, lines)
        assert not any("do not all follow" in n for n in ex.notes), oid
    with pytest.raises(TypeError, match="no step-inspector lines"):  # an entry without them is refused
        dataclasses.replace(OPTIMIZERS["sgd"], explain=None)


def test_every_optimizer_is_in_the_readme_formulas() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The formulas") : readme.index("## Your own loss")]
    for opt in OPTIMIZERS.values():
        assert f"`{opt.id}`" in section or f"| {opt.title} |" in section, (
            f"README 'The formulas' lacks {opt.id}"
        )


def test_every_optimizer_has_a_test_reference_and_a_rosenbrock_rate() -> None:
    assert set(REFERENCES) == set(OPTIMIZERS)
    assert set(ROSENBROCK_LR) == set(OPTIMIZERS)


def test_every_registry_text_has_a_persian_translation() -> None:
    ts = (ROOT / "resources/translations/optimizer_lab_fa.ts").read_text(encoding="utf-8")
    done = dict(re.findall(r"<source>(.*?)</source>\s*<translation>(.*?)</translation>", ts, flags=re.S))

    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")

    for opt in OPTIMIZERS.values():
        for text in (opt.title, opt.notes, opt.m_meaning, opt.g_meaning, opt.reference):
            if text:
                assert done.get(esc(text)), f"no Persian translation of {text!r} ({opt.id})"
    for h in HYPERPARAMETERS.values():
        assert done.get(esc(h.description)), h.name


def test_every_optimizer_has_its_own_colour() -> None:
    colours = [o.color for o in OPTIMIZERS.values()]
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours), colours
    assert len(set(colours)) == len(colours)


def test_every_optimizer_is_offered_in_the_window(qtbot) -> None:
    """The window's optimizer choices (list items, combo boxes and menu actions of the controls)."""
    pytest.importorskip("PySide6")
    from PySide6.QtWidgets import QComboBox, QListWidget, QMenu

    from gui.i18n import tr_engine
    from gui.panels.controls import ControlPanel

    panel = ControlPanel()
    qtbot.addWidget(panel)
    texts: set[str] = set()
    for lst in panel.findChildren(QListWidget):
        texts |= {lst.item(i).text() for i in range(lst.count())}
    for combo in panel.findChildren(QComboBox):
        texts |= {combo.itemText(i) for i in range(combo.count())}
    for menu in panel.findChildren(QMenu):
        texts |= {a.text() for a in menu.actions()}
    for opt in OPTIMIZERS.values():
        assert any(tr_engine(opt.title) in t for t in texts), f"the window offers no {opt.title}"


def test_the_batch_unswitches_exactly_the_built_in_surfaces() -> None:
    from engine.losses import LOSSES

    source = (ROOT / "engine" / "_kernels.py").read_text(encoding="utf-8")
    body = source[source.index("def _batch_loss(") : source.index("def _finite(")]
    pairs = re.findall(r"loss_id == (\d+):\n\s+_loss_block\((\d+)", body)
    assert all(tested == passed for tested, passed in pairs)
    assert [int(tested) for tested, _ in pairs] == list(range(len(LOSSES)))
