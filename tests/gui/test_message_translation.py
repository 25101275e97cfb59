"""Messages the engine builds (explanations, errors) reach the Persian interface in Persian,
while their English text stays exactly what the CLI and the engine tests read."""

from __future__ import annotations

import importlib.util
import math
import pickle
import re
import string
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from engine.config import ConfigError, RacerConfig, SessionConfig
from engine.explain import RecordedRows, explain_step
from engine.expressions import ExpressionError
from engine.losses import check_loss_spec
from engine.messages import Msg, message_of, msg
from gui.i18n import install_language, translate_message

ROOT = Path(__file__).resolve().parents[2]
PERSIAN = re.compile("[\u0600-\u06ff]")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _error(call, *args) -> Exception:
    with pytest.raises(ValueError) as info:
        call(*args)
    return info.value


def _rmsprop_summary_rows() -> RecordedRows:
    """Two RMSProp steps where w₂'s gradient jumps, so its rate falls ~98% (as in test_explain)."""
    eta, beta, eps = 0.01, 0.9, 1e-8
    grads = [(1.0, 0.01), (1.05, 0.5)]
    n = len(grads) + 1
    w, grad, G, M, lr, dw = (np.zeros((n, 2)) for _ in range(6))
    w[0] = (1.0, 1.0)
    for r, g in enumerate(grads, start=1):
        for i in (0, 1):
            G[r, i] = beta * G[r - 1, i] + (1.0 - beta) * g[i] ** 2
            lr[r, i] = eta / (math.sqrt(G[r, i]) + eps)
            dw[r, i] = -lr[r, i] * g[i]
            grad[r, i] = g[i]
            w[r, i] = w[r - 1, i] + dw[r, i]
    return RecordedRows(np.arange(n), w, np.zeros(n), grad, G, M, lr, dw)


def _rmsprop_explanation():
    return explain_step(
        "rmsprop", {"lr": 0.01, "beta": 0.9, "eps": 1e-8}, "constant", _rmsprop_summary_rows(), 2
    )


@pytest.fixture
def persian(qapp: QApplication) -> Iterator[None]:
    install_language(qapp, "fa")
    yield
    install_language(qapp, "en")


# -- Msg ------------------------------------------------------------------------------------------
def test_msg_formats_exactly_like_str_format_and_keeps_its_parts() -> None:
    template = "{name} = {value:>6} at column {col}"
    m = msg(template, name="β", value="1.5", col=7)
    assert isinstance(m, str) and isinstance(m, Msg)
    assert m == template.format(name="β", value="1.5", col=7)
    assert m.template == template and m.values == {"name": "β", "value": "1.5", "col": 7}
    assert msg("braces {kept} without values") == "braces {kept} without values"
    again = pickle.loads(pickle.dumps(m))
    assert again == m and again.template == template and again.values == m.values


def test_exceptions_keep_the_message_object() -> None:
    exc = _error(RacerConfig, "adam", {"beta": 1.5})
    assert isinstance(exc, ConfigError)
    assert isinstance(message_of(exc), Msg) and message_of(exc) == str(exc)
    assert message_of(KeyError("x")) == str(KeyError("x"))


def test_english_interface_shows_the_engine_text_unchanged(qapp: QApplication) -> None:
    install_language(qapp, "en")
    for exc in (
        _error(RacerConfig, "adam", {"beta": 1.5}),
        _error(check_loss_spec, "x + z"),
        _error(
            SessionConfig.from_dict,
            {"format": "optimizer-lab-session", "version": 1, "racers": [{"optimizer": "nope"}]},
        ),
    ):
        assert translate_message(exc) == str(exc)
    ex = _rmsprop_explanation()
    assert translate_message(ex.summary) == ex.summary
    assert translate_message(ex.title) == ex.title
    assert translate_message("plain text") == "plain text"


# -- Persian ----------------------------------------------------------------------------------------
def test_out_of_range_beta_is_explained_in_persian(persian) -> None:
    exc = _error(RacerConfig, "adam", {"beta": 1.5})
    assert str(exc) == "beta = 1.5 is out of range: β must be in [0, 1)"
    text = translate_message(exc)
    assert PERSIAN.search(text), text
    assert "beta = 1.5" in text and "β" in text and "[0, 1)" in text


def test_unknown_name_in_a_loss_is_explained_in_persian(persian) -> None:
    exc = _error(check_loss_spec, "x + z")
    assert isinstance(exc, ExpressionError) and exc.column == 5
    assert str(exc) == "unknown name 'z' at column 5 — use x and y"
    text = translate_message(exc)
    assert PERSIAN.search(text), text
    assert "'z'" in text and "5" in text and "x" in text and "y" in text


def test_a_typed_losss_title_and_notes_are_in_persian(persian) -> None:
    """A Persian export of a typed loss was titled "Custom loss: L = …", and its notes (a kink's
    subgradient, a zero gradient) were in English in the status bar. Their English is unchanged."""
    from engine.expressions import compile_expression
    from gui.i18n import tr_engine

    surface = compile_expression("abs(x) + 0*y")  # a kink; compiled in this process (light module)
    assert surface.title == "Custom loss" and surface.note.startswith("At kinks the gradient")
    assert tr_engine(surface.title) == "تابع زیان دلخواه"
    note = tr_engine(surface.note)
    assert PERSIAN.search(note) and "abs'(0) = 0" in note, note
    both = compile_expression("abs(3)")  # no x or y, and a kink: two notes, each translated
    assert str(both.note).startswith("L does not depend on x or y") and "At kinks" in both.note
    text = tr_engine(both.note)
    assert "depend" not in text and "kinks" not in text and "relu'(0) = 0" in text, text


def test_composed_messages_are_translated_part_by_part(persian) -> None:
    data = {
        "format": "optimizer-lab-session",
        "version": 1,
        "racers": [{"optimizer": "adam", "hyperparameters": {"beta": 1.5}}],
    }
    exc = _error(SessionConfig.from_dict, data)
    assert str(exc).startswith("racer 1: beta = 1.5 is out of range")
    text = translate_message(exc)
    assert "racer" not in text and "out of range" not in text, text
    assert "beta = 1.5" in text and "[0, 1)" in text


def test_inspector_summary_is_in_persian_with_its_numbers(persian) -> None:
    ex = _rmsprop_explanation()
    assert ex.summary.startswith("w₂'s learning rate fell 98% since step 1 because G₂ grew")
    text = translate_message(ex.summary)
    assert PERSIAN.search(text) and "نرخ یادگیری" in text, text
    assert re.search(r"[A-Za-z]{3,}", text.replace("w₂", "")) is None, text  # no English words left
    for kept in ("w₂", "98%", "G₂", "1.000e−05", "g₂(2)²"):
        assert kept in text, (kept, text)
    title = translate_message(ex.title)
    assert "RMSProp" in title or PERSIAN.search(title)
    assert "2" in title and PERSIAN.search(title), title


class _History:
    """What ``Inspector.show_step`` reads from a ``RacerHistory``."""

    stride = 1

    def __init__(self, rows: RecordedRows) -> None:
        self.rows = rows
        self.step, self.loss = rows.step, rows.loss

    def __len__(self) -> int:
        return len(self.step)

    def vec(self, name: str) -> np.ndarray:
        return getattr(self.rows, name)


def test_inspector_panel_shows_persian(persian, qtbot) -> None:
    from gui.panels.inspector import Inspector

    inspector = Inspector()
    qtbot.addWidget(inspector)
    history = _History(_rmsprop_summary_rows())
    inspector.show_step("rmsprop", {"lr": 0.01, "beta": 0.9, "eps": 1e-8}, "constant", history, 2)  # type: ignore[arg-type]
    text = inspector.toPlainText()
    assert translate_message(_rmsprop_explanation().summary) in text, text
    assert "learning rate" not in text and "step 2" not in text, text


# -- completeness -------------------------------------------------------------------------------------
def _update_module():
    spec = importlib.util.spec_from_file_location("_update", ROOT / "resources/translations/update.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_engine_message_template_is_extracted_and_translated(persian) -> None:
    from gui._engine_strings import ENGINE_TEXTS

    templates = _update_module().message_templates()
    assert len(templates) >= 100
    missing = [t for t in templates if t not in ENGINE_TEXTS]
    assert not missing, missing
    for template in templates:
        translated = QCoreApplication.translate("engine", template)
        assert _fields(translated) == _fields(template), (template, translated)
        if re.search(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}", "", template)):
            assert PERSIAN.search(translated), (template, translated)


@pytest.mark.parametrize(
    ("errno_name", "english", "persian_words"),
    [
        ("EACCES", "permission denied", "اجازهٔ دسترسی"),
        ("ENOSPC", "the disk is full", "دیسک پر است"),
        ("EROFS", "the disk is read-only", "فقط‌خواندنی"),
        ("ENOENT", "no such file or folder", "چنین فایل"),
    ],
)
def test_a_failed_write_says_why_in_persian_not_in_the_systems_words(
    persian, tmp_path, monkeypatch, errno_name: str, english: str, persian_words: str
) -> None:
    """The OS text (strerror) is in the system's language and was shown as is; the usual causes are ours."""
    import errno
    import os

    from engine.session import SessionError, save_session
    from gui.export import ExportError, write_file

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(getattr(errno, errno_name), "Systemtext, nicht übersetzt")

    monkeypatch.setattr(os, "replace", refuse)
    target = tmp_path / "out.png"
    with pytest.raises(ExportError) as export_info:
        write_file(target, b"png")
    with pytest.raises(SessionError) as session_info:
        save_session(SessionConfig(), tmp_path / "s.olab.json")
    for exc, name in ((export_info.value, "out.png"), (session_info.value, "s.olab.json")):
        assert str(exc) == f"cannot write {tmp_path / name}: {english}"
        text = translate_message(exc)
        assert persian_words in text and str(tmp_path / name) in text and "Systemtext" not in text
    assert not target.exists() and not list(tmp_path.glob(".*.tmp"))  # nothing half-written is left


def test_an_unknown_os_error_keeps_the_systems_own_text(persian) -> None:
    from engine.messages import os_reason

    assert os_reason(OSError(1234, "something odd")) == "something odd"


def test_export_dialog_refusals_are_in_persian(persian, tmp_path) -> None:
    from gui.export import ExportError, check_writable, kind_of

    for call in (lambda: kind_of(tmp_path / "a.txt", "animation"), lambda: check_writable(tmp_path)):
        with pytest.raises(ExportError) as info:
            call()
        assert PERSIAN.search(translate_message(info.value)), str(info.value)
    with pytest.raises(ExportError) as info:
        kind_of(tmp_path / "a.txt", "animation")
    assert str(info.value) == "cannot export the animation as '.txt': use .gif, .mp4"


def test_a_teachers_broken_lesson_file_is_explained_in_persian(persian, tmp_path) -> None:
    import json

    from gui.lessons import LESSONS_DIR, LessonError, load_lesson

    data = json.loads(next(LESSONS_DIR.glob("*.json")).read_text(encoding="utf-8"))
    data["kind"] = "quiz"
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    assert str(info.value) == "mine.json: 'kind' must be one of: lesson, compare; got 'quiz'"
    text = translate_message(info.value)
    assert PERSIAN.search(text) and "mine.json" in text and "'quiz'" in text and "must be" not in text
    with pytest.raises(LessonError) as info:
        load_lesson(tmp_path / "missing.json")
    assert str(info.value) == "missing.json: cannot read it: no such file or folder"
    assert "چنین فایل" in translate_message(info.value)


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_inspector_heading_names_the_racer_once(qapp, qtbot, language) -> None:
    """It read "AdaGrad — AdaGrad، گام 8": the racer's label is added only when it says more."""
    from gui.i18n import install_language, tr_engine
    from gui.panels.inspector import Inspector

    install_language(qapp, language)
    try:
        inspector = Inspector()
        qtbot.addWidget(inspector)
        history = _History(_rmsprop_summary_rows())
        hyper = {"lr": 0.01, "beta": 0.9, "eps": 1e-8}
        name = tr_engine("RMSprop")
        inspector.show_step("rmsprop", hyper, "constant", history, 2, label=name)  # type: ignore[arg-type]
        heading = inspector.toPlainText().splitlines()[0]
        assert heading.count("RMSprop") == 1 and " — " not in heading, heading
        inspector.show_step("rmsprop", hyper, "constant", history, 2, label="RMSprop β=0.5")  # type: ignore[arg-type]
        heading = inspector.toPlainText().splitlines()[0]
        assert heading.startswith("● RMSprop β=0.5 — ") and heading.count("RMSprop") == 2, heading
    finally:
        install_language(qapp, "en")
