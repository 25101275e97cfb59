"""Lessons: every file loads and plays, the numbers its text quotes are what the engine computes,
the Persian is Persian, broken files are refused by name, and the panel shows and signals.

The loader tests need no Qt; only the panel tests at the bottom use ``qtbot``.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from engine.config import SessionConfig
from engine.losses import get_loss
from engine.simulate import simulate
from engine.trajectory import DIVERGED, Trajectory
from gui.lessons import (
    LESSONS_DIR,
    REQUIRED_LANGUAGES,
    TARGETS,
    Lesson,
    LessonError,
    load_lesson,
    load_lessons,
)

ZWNJ = "\u200c"
PERSIAN = re.compile(r"[\u0600-\u06FF]")
FILES = sorted(LESSONS_DIR.glob("*.json"))


@cache
def lessons() -> dict[str, Lesson]:
    return {lesson.id: lesson for lesson in load_lessons()}


@cache
def runs(lesson_id: str) -> dict[str, Trajectory]:
    """Every enabled racer of a lesson's session, run the way the window's worker builds it."""
    config = lessons()[lesson_id].config
    if stochastic(config):
        return race_runs(config)
    surface = get_loss(config.loss)
    usable = {k: v for k, v in config.loss_params.items() if k in surface.params}
    if usable:
        surface = surface.with_params(**usable)
    return {
        r.optimizer: simulate(
            surface,
            r.optimizer,
            config.start,
            config.steps,
            schedule=r.schedule,
            tol=config.tol,
            **r.hyperparameters,
        )
        for r in config.enabled_racers()
    }


def stochastic(config: SessionConfig) -> bool:
    """A data loss, minibatches or noise: the race's own replay is the reference (seeds, batches)."""
    return config.data is not None or config.batch_size > 0 or config.noise > 0


def race_runs(config: SessionConfig) -> dict[str, Trajectory]:
    """The race the window would run for ``config``, by racer key ("sgd", "sgd#2", …)."""
    from engine.race import replay
    from engine.simulate import surface_for

    return replay(config, surface_for(config))


def crossings(values: np.ndarray) -> int:
    s = np.sign(values)
    return int((s[1:] * s[:-1] < 0).sum())


# -- the files ---------------------------------------------------------------------------------------
def test_at_least_nine_lessons_and_three_compare_presets() -> None:
    kinds = [lesson.kind for lesson in lessons().values()]
    assert kinds.count("lesson") >= 9
    assert kinds.count("compare") >= 3
    ordered = load_lessons()
    assert [lesson.kind for lesson in ordered] == sorted(kinds, key=["lesson", "compare"].index)
    assert [lesson.order for lesson in ordered if lesson.kind == "lesson"] == list(range(1, 13))
    assert [lesson.order for lesson in ordered if lesson.kind == "compare"] == [1, 2, 3]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_file_loads_complete(path: Path) -> None:
    lesson = load_lesson(path)
    for language in REQUIRED_LANGUAGES:
        assert lesson.text("title", language).strip()
        assert lesson.text("summary", language).strip()
        assert 2 <= len(lesson.text("paragraphs", language)) <= 4
        for hint in lesson.watch:
            assert hint.text_in(language).strip()
    assert lesson.watch and all(hint.target in TARGETS for hint in lesson.watch)
    assert lesson.config.enabled_racers()
    assert lesson.config.steps <= 3000
    assert lesson.config.steps / lesson.speed <= 60, "plays in under a minute"
    # the session is exactly what a saved (version-1, or 3 with data and seeds) session would hold:
    # nothing left to defaults
    data = json.loads(path.read_text(encoding="utf-8"))
    saved = SessionConfig.from_dict(data["session"]).to_dict()
    version = 3 if saved["version"] == 3 else 1
    as_v1 = {k: v for k, v in saved.items() if k != "edits"} | {"version": version}
    as_v1["racers"] = [
        {k: v for k, v in r.items() if k not in ("key", "label", "color")} for r in saved["racers"]
    ]
    assert as_v1 == data["session"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_persian_text_is_persian(path: Path) -> None:
    lesson = load_lesson(path)
    texts = [lesson.text("title", "fa"), lesson.text("summary", "fa"), *lesson.text("paragraphs", "fa")]
    texts += [hint.text_in("fa") for hint in lesson.watch]
    for text in texts:
        assert PERSIAN.search(text), text
        assert " می " not in text and " نمی " not in text, f"missing ZWNJ after می in {text!r}"
        assert "بهینه ساز" not in text
    body = " ".join(lesson.text("paragraphs", "fa"))
    assert ZWNJ in body
    for word in ("می\u200cشود", "بهینه\u200cساز", "می\u200cکند"):
        if word.replace(ZWNJ, "") in body.replace(ZWNJ, ""):
            assert word in body, f"{word!r} written without ZWNJ"
    for english, persian in ((lesson.text("paragraphs", "en"), lesson.text("paragraphs", "fa")),):
        assert len(english) == len(persian)


def test_text_falls_back_to_english() -> None:
    lesson = lessons()["sgd-one-rate"]
    assert lesson.text("title", "de") == lesson.text("title", "en")
    assert lesson.text("paragraphs", "fa") != lesson.text("paragraphs", "en")
    with pytest.raises(ValueError, match="unknown lesson text"):
        lesson.text("speed", "en")


def test_lessons_folder_ships_in_the_package() -> None:
    assert LESSONS_DIR.parent.name == "resources"
    assert LESSONS_DIR.parent.parent == Path(__import__("gui").__file__).resolve().parents[1]


# -- every lesson plays -------------------------------------------------------------------------------
#: Racers a lesson's text says blow up (and its own test checks where).
ANNOUNCED_DIVERGENCE = {("standardise-features", "sgd#2")}


@pytest.mark.parametrize("lesson_id", sorted(lessons()))
def test_every_lesson_plays_finite(lesson_id: str) -> None:
    for name, run in runs(lesson_id).items():
        if (lesson_id, name) in ANNOUNCED_DIVERGENCE:
            assert run.status == DIVERGED
            continue
        assert run.status != DIVERGED, f"{lesson_id}: {name} diverged"
        assert np.isfinite(run.w).all() and np.isfinite(run.loss).all(), f"{lesson_id}: {name}"


# -- the claims the texts make ------------------------------------------------------------------------
def test_lesson_1_one_rate() -> None:
    run = runs("sgd-one-rate")["sgd"]
    assert run.dw[1] == pytest.approx([0.133, -2.85], abs=1e-3)
    assert crossings(run.w[:21, 1]) == 20, "w2 changes sign at every step"
    assert run.w[100, 0] == pytest.approx(-0.073, abs=5e-4)
    assert run.status == "converged" and run.steps == 627
    # η just above 2/κ = 0.04 blows up, as the text says
    config = lessons()["sgd-one-rate"].config
    surface = get_loss("quadratic").with_params(condition=50.0)
    above = simulate(surface, "sgd", config.start, 2000, lr=0.041)
    assert (np.diff(np.abs(above.w[:, 1])) > 0).all() and abs(above.w[-1, 1]) > 1e40


def test_lesson_2_adagrad_rate_never_rises_and_it_stalls() -> None:
    r = runs("adagrad-stalls")
    ada, rms = r["adagrad"], r["rmsprop"]
    assert (np.diff(ada.lr[1:], axis=0) <= 0).all(), "AdaGrad's rate never rises"
    assert (np.diff(ada.G[1:], axis=0) >= 0).all()
    assert np.abs(ada.dw[1]) == pytest.approx([0.01, 0.01], rel=1e-6)
    assert ada.grad[1] == pytest.approx([-215.6, -88.0])
    assert ada.G[1, 0] == pytest.approx(4.6e4, abs=500) and ada.G[100, 0] == pytest.approx(7.0e5, abs=5000)
    assert ada.w[-1] == pytest.approx([-1.03, 1.07], abs=0.005) and ada.loss[-1] == pytest.approx(
        4.1, abs=0.05
    )
    assert rms.w[-1] == pytest.approx([0.96, 0.90], abs=0.005) and rms.loss[-1] == pytest.approx(
        0.023, abs=5e-4
    )


def test_lesson_3_rmsprop_rate_rises_again() -> None:
    run = runs("rmsprop-forgets")["rmsprop"]
    lr2 = run.lr[1:, 1]
    low = int(np.argmin(lr2))
    assert lr2[low:].max() > lr2[low], "the rate rises again after its low"
    assert np.abs(run.dw[1]) == pytest.approx([0.316, 0.316], abs=5e-4)
    assert int(np.argmax(run.G[:, 1])) == 5 and run.G[5, 1] == pytest.approx(44, abs=0.5)
    assert run.lr[1, 1] == pytest.approx(0.021, abs=5e-4) and lr2[low] == pytest.approx(0.015, abs=5e-4)
    assert run.G[50, 1] == pytest.approx(0.53, abs=0.005) and run.lr[50, 1] == pytest.approx(0.137, abs=5e-4)
    assert run.lr[50, 1] / lr2[low] == pytest.approx(9, abs=0.5)
    assert run.lr[10, 0] == pytest.approx(0.049, abs=5e-4) and run.lr[50, 0] == pytest.approx(0.22, abs=0.005)
    assert run.status == "converged" and run.steps == 76


def test_lesson_4_momentum_overshoots_across_the_valley() -> None:
    r = runs("momentum-overshoots")
    sgd, heavy, lecture = r["sgd"], r["momentum"], r["momentum-lecture"]
    assert crossings(sgd.w[:, 1]) == 0, "SGD never crosses the valley axis w2 = 0"
    assert crossings(heavy.w[:, 1]) == 89, "momentum crosses it again and again"
    assert heavy.w[4, 1] == pytest.approx(-1.22, abs=0.005) and heavy.w[:, 1].min() == heavy.w[4, 1]
    assert lecture.w[:, 1].min() == pytest.approx(-0.32, abs=0.005)

    def first(condition: np.ndarray) -> int:
        return int(np.argmax(condition))

    assert [first(run.w[:, 0] > -0.5) for run in (heavy, sgd, lecture)] == [12, 97, 50]
    assert int(np.argmax(heavy.w[:, 0])) == 23 and heavy.w[23, 0] == pytest.approx(1.03, abs=0.005)
    assert [first(run.loss < 1e-3) for run in (heavy, lecture, sgd)] == [83, 111, 216]


def test_lesson_5_adam_bias_correction_and_rmsprop_hopping() -> None:
    r = runs("adam-bias-correction")
    rms, adam, lecture = r["rmsprop"], r["adam"], r["adam-lecture"]
    assert np.abs(adam.dw[1]) == pytest.approx([0.05, 0.05], rel=1e-6)
    assert np.abs(lecture.dw[1]) == pytest.approx([0.158, 0.158], abs=5e-4)
    assert np.abs(lecture.dw[1]) / np.abs(adam.dw[1]) == pytest.approx([math.sqrt(10)] * 2, rel=1e-6)
    assert lecture.loss[2] == pytest.approx(21.9, abs=0.05)
    assert adam.loss[1] == pytest.approx(12.0, abs=0.05) and adam.loss[1:].max() == adam.loss[1]
    # RMSprop ends in a two-point hop across the valley, ±η per weight
    assert rms.w[-1] == pytest.approx([0.72, 0.46], abs=0.005)
    assert rms.w[-2] == pytest.approx([0.67, 0.51], abs=0.005)
    assert np.abs(rms.dw[-100:]) == pytest.approx(np.full((100, 2), 0.05), abs=1e-4)
    assert (np.sign(rms.dw[-99:, 0]) != np.sign(rms.dw[-100:-1, 0])).all()
    assert rms.loss[-1] == pytest.approx(0.44, abs=0.005)
    for run in (adam, lecture):
        assert math.dist(run.w[-1], (1.0, 1.0)) < 0.001


def test_lesson_6_saddle_escapes() -> None:
    r = runs("saddle-escape")
    escaped = {name: int(np.argmax(np.abs(run.w[:, 1]) > 1)) for name, run in r.items()}
    assert escaped == {"sgd": 97, "momentum": 36, "adagrad": 57, "rmsprop": 8, "adam": 20}
    closest = {name: np.linalg.norm(run.w, axis=1) for name, run in r.items()}
    assert int(np.argmin(closest["sgd"])) == 48 and closest["sgd"].min() == pytest.approx(0.014, abs=5e-4)
    assert int(np.argmin(closest["momentum"])) == 5
    assert closest["momentum"].min() == pytest.approx(0.044, abs=5e-4)
    assert min(closest[n].min() for n in ("adagrad", "rmsprop", "adam")) == pytest.approx(1.06, abs=0.005)
    for name, step in (("adagrad", 0.05), ("adam", 0.05), ("rmsprop", 0.158)):
        assert abs(r[name].dw[1, 1]) == pytest.approx(step, abs=5e-4)
        assert r[name].lr[1, 1] > 100 * r[name].lr[1, 0], "w2's rate is huge: its G is tiny"
    # exactly on the axis nobody leaves it
    surface = get_loss("saddle")
    for run in r.values():
        on_axis = simulate(surface, run.optimizer, (1.5, 0.0), 120, **run.hyperparameters)
        assert (on_axis.w[:, 1] == 0).all()


def test_lesson_7_schedule_settles_where_constant_rates_hop() -> None:
    r = runs("lr-schedule")
    sgd, rms, adam = r["sgd"], r["rmsprop"], r["adam"]
    dist = {name: np.linalg.norm(run.w, axis=1) for name, run in r.items()}
    assert sgd.lr[1, 0] == 0.05 and sgd.lr[400, 0] < 1e-6 and sgd.lr[401:, 0].max() == 0.0
    assert dist["sgd"][10:101].min() == pytest.approx(0.12, abs=0.005)
    assert dist["sgd"][10:101].max() == pytest.approx(0.29, abs=0.005)
    assert dist["sgd"][200] == pytest.approx(0.09, abs=0.005)
    assert dist["sgd"][300] == pytest.approx(0.013, abs=5e-4)
    assert dist["sgd"][400] < 1e-11 and (sgd.w[400:] == sgd.w[400]).all()
    assert dist["rmsprop"][50:] == pytest.approx(np.full(rms.w.shape[0] - 50, 0.035), abs=0.001)
    assert dist["adam"][-100:].min() >= 0.003 and dist["adam"][-100:].max() <= 0.005
    surface = get_loss("ackley")
    assert math.hypot(*surface.value_grad(1e-3, 0.0)[1:]) == pytest.approx(2.9, abs=0.05)
    assert adam.status == rms.status == "finished"


def test_compare_adam_bias_factor() -> None:
    lesson = lessons()["compare-adam-bias"]
    r = runs("compare-adam-bias")
    adam, lecture = r["adam"], r["adam-lecture"]
    factor = (1 - 0.9) / math.sqrt(1 - 0.999)
    assert factor == pytest.approx(3.16, abs=0.005)
    assert np.abs(lecture.dw[1]) / np.abs(adam.dw[1]) == pytest.approx([factor, factor], rel=1e-6)
    assert "3.16" in lesson.text("summary", "en") and "3.16" in lesson.text("summary", "fa")
    n = min(len(adam.dw), len(lecture.dw))
    ratio = np.linalg.norm(lecture.dw[1:n], axis=1) / np.linalg.norm(adam.dw[1:n], axis=1)
    assert ratio[5] == pytest.approx(5.6, abs=0.05), "step 6"
    assert int(np.argmax(ratio < 1)) + 1 == 24
    assert lecture.loss[10] == pytest.approx(2.3, abs=0.05) and adam.loss[10] == pytest.approx(9.6, abs=0.05)
    assert (lecture.steps, adam.steps) == (452, 462)


def test_compare_momentum_memory() -> None:
    r = runs("compare-momentum-memory")
    heavy, lecture = r["momentum"], r["momentum-lecture"]
    assert int(np.argmax(np.hypot(*(heavy.w - 1.0).T) < 0.1)) == 486
    assert heavy.loss[-1] == pytest.approx(4e-7, rel=0.1)
    assert lecture.w[-1] == pytest.approx([0.84, 0.70], abs=0.005) and lecture.loss[-1] == pytest.approx(
        0.027, abs=5e-4
    )
    assert heavy.loss[50] < lecture.loss[50]


def test_compare_adagrad_rmsprop() -> None:
    r = runs("compare-adagrad-rmsprop")
    ada, rms = r["adagrad"], r["rmsprop"]
    assert (np.diff(ada.G[1:], axis=0) >= 0).all() and ada.G[-1, 1] == pytest.approx(4400, abs=50)
    assert int(np.argmax(rms.G[:, 1])) == 5 and rms.G[5, 1] == pytest.approx(44, abs=0.5)
    assert rms.status == "converged" and rms.steps == 76
    assert ada.lr[-1, 0] == pytest.approx(0.003, abs=5e-5) and ada.w[-1, 0] == pytest.approx(-0.11, abs=0.005)


# -- refusals --------------------------------------------------------------------------------------------
def _copy(tmp_path: Path) -> Path:
    source = LESSONS_DIR / "02-adagrad-stalls.json"
    target = tmp_path / "my-lesson.json"
    shutil.copy(source, target)
    return target


def _lesson_map(lesson_id: str):
    """The map a lesson opens, computed as the Maps panel asks for it (first racer, lesson's grid)."""
    from engine.maps import Axis, MapJob

    lesson = lessons()[lesson_id]
    config, spec = lesson.config, lesson.map
    racer = config.enabled_racers()[0]
    surface = get_loss(config.loss)
    usable = {k: v for k, v in config.loss_params.items() if k in surface.params}
    if usable:
        surface = surface.with_params(**usable)
    axes = (
        {"x": Axis.parse(spec.x, spec.grid), "y": Axis.parse(spec.y, spec.grid)}
        if spec.kind == "hyper"
        else {}
    )
    hyper = {
        k: v
        for k, v in racer.hyperparameters.items()
        if k not in (spec.x.split(":")[0], spec.y.split(":")[0])
    }
    job = MapJob(surface, racer.optimizer, spec.kind, steps=config.steps, grid=spec.grid, start=config.start,
                 tol=config.tol, hyperparameters=hyper, **axes)  # fmt: skip
    return job.run()


def test_lesson_8_the_edge_is_eta_equals_two_over_kappa() -> None:
    from engine.maps import DIVERGED as MAP_DIVERGED

    run = runs("step-size-edge")["sgd"]
    assert run.status == "converged"
    assert crossings(run.w[:30, 1]) == 29, "w2 changes sign at every step"
    np.testing.assert_allclose(run.w[1:11, 1] / run.w[:10, 1], -0.5, rtol=1e-12)  # factor 1 − 1.5
    result = _lesson_map("step-size-edge")
    lr, kappa = np.meshgrid(result.x.values, result.y.values)
    edge = 2 / kappa
    blown = (result.status == MAP_DIVERGED) | (result.final_loss > 1e6)
    assert blown[lr > 1.02 * edge].all(), "right of the line: overflowed or still growing"
    assert not blown[lr < 0.98 * edge].any(), "left of it: nothing blows up"
    # both kinds of "blown up" the text names are on the map: overflowed, and still growing
    assert (result.status == MAP_DIVERGED).any() and ((result.status != MAP_DIVERGED) & blown).any()


def test_lesson_9_four_basins_and_adam_ends_elsewhere() -> None:
    r = runs("four-basins")
    sgd, adam = r["sgd"], r["adam"]
    assert sgd.status == "converged" and sgd.steps == 103
    np.testing.assert_allclose(sgd.w[-1], [3.584428, -1.848126], atol=1e-5)
    assert adam.status == "converged" and adam.steps == 511
    np.testing.assert_allclose(adam.w[-1], [3.0, 2.0], atol=1e-6)
    sgd_map = _lesson_map("four-basins")
    assert sorted(np.unique(sgd_map.basin).tolist()) == [0, 1, 2, 3]
    # each minimum lies in its own basin
    xs, ys = sgd_map.x.values, sgd_map.y.values
    for k, (mx, my) in enumerate(sgd_map.targets):
        assert sgd_map.basin[np.abs(ys - my).argmin(), np.abs(xs - mx).argmin()] == k
    from engine.maps import basin_map

    adam_map = basin_map("himmelblau", "adam", grid=128, steps=1000, lr=0.05)
    both = (sgd_map.basin >= 0) & (adam_map.basin >= 0)
    differ = ((sgd_map.basin != adam_map.basin) & both).sum() / both.sum()
    assert 0.06 <= differ <= 0.08, differ  # "about 7%"


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_copied_lesson_loads_from_another_folder(tmp_path: Path) -> None:
    _copy(tmp_path)
    [lesson] = load_lessons(tmp_path)
    assert lesson.id == "adagrad-stalls" and lesson.path == tmp_path / "my-lesson.json"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["title"].pop("fa"), "'title' is missing language(s): fa"),
        (lambda d: d["paragraphs"].pop("fa"), "'paragraphs' is missing language(s): fa"),
        (lambda d: d["watch"][0]["text"].pop("fa"), "missing language(s): fa"),
        (lambda d: d["watch"][0].update(target="plot"), "unknown target 'plot'"),
        (lambda d: d["paragraphs"].update(en=["only one"]), "2 to 4 short paragraphs"),
        (lambda d: d.update(kind="quiz"), "'kind' must be one of"),
        (lambda d: d.update(speed=0), "'speed'"),
        (lambda d: d.update(order=True), "'order'"),
        (lambda d: d.update(extra=1), "unknown field(s): extra"),
        (lambda d: d.pop("watch"), "missing field(s): watch"),
        (lambda d: d.update(format="something-else"), "not an Optimizer Lab lesson"),
        (
            lambda d: d["session"]["racers"][0].update(optimizer="adafactor"),
            "session: racer 1: unknown optimizer",
        ),
        (lambda d: d["session"]["racers"][0]["hyperparameters"].update(lr=-1), "session: racer 1: lr = -1"),
        (lambda d: d["session"].update(steps=0), "session: steps must be"),
        (lambda d: d["session"].update(loss="import os"), "session: loss is neither"),
        (lambda d: [r.update(enabled=False) for r in d["session"]["racers"]], "no racer is enabled"),
        (lambda d: d.update(map={"kind": "basin"}), "'map' must be an object with kind, grid and color"),
        (lambda d: d.update(map={"kind": "tiles", "grid": 64, "color": "loss"}), "map: kind must be one of"),
        (lambda d: d.update(map={"kind": "basin", "grid": 100, "color": "loss"}), "map: grid must be one of"),
        (
            lambda d: d.update(
                map={"kind": "hyper", "grid": 64, "color": "loss", "x": "lr:0.1:1", "y": "beta:0:1"}
            ),
            "map: 'beta' is not a setting of the first racer or the surface",
        ),
        (
            lambda d: d.update(
                map={"kind": "hyper", "grid": 64, "color": "loss", "x": "lr:0:1:log", "y": "lr:0.1:1"}
            ),
            "map: a log axis needs low > 0",
        ),
        (
            lambda d: d.update(map={"kind": "basin", "grid": 64, "color": "loss", "x": "lr:0.1:1"}),
            "x and y are for a hyperparameter map",
        ),
    ],
)
def test_malformed_lesson_names_file_and_problem(tmp_path: Path, change, message: str) -> None:
    path = _copy(tmp_path)
    _edit(path, change)
    with pytest.raises(LessonError) as info:
        load_lessons(tmp_path)
    assert str(info.value).startswith("my-lesson.json: ")
    assert message in str(info.value)


def test_bad_json_and_duplicates_name_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "optimizer-lab-lesson",', encoding="utf-8")
    with pytest.raises(LessonError, match=r"^broken\.json: not valid JSON \(line 1"):
        load_lessons(tmp_path)
    broken.write_text('{"speed": NaN}', encoding="utf-8")
    with pytest.raises(LessonError, match=r"^broken\.json: NaN is not an allowed number"):
        load_lessons(tmp_path)
    broken.write_bytes(b"\xff\xfe")
    with pytest.raises(LessonError, match=r"^broken\.json: not a text"):
        load_lessons(tmp_path)
    broken.unlink()
    _copy(tmp_path)
    shutil.copy(tmp_path / "my-lesson.json", tmp_path / "z-copy.json")
    with pytest.raises(
        LessonError, match=r"^z-copy\.json: id 'adagrad-stalls' is already used by my-lesson\.json"
    ):
        load_lessons(tmp_path)
    with pytest.raises(LessonError, match="lesson folder not found"):
        load_lessons(tmp_path / "missing")


def test_loader_needs_no_qt() -> None:
    import subprocess
    import sys

    code = (
        "import sys, gui.lessons as m; m.load_lessons(); "
        "print(any(k.startswith('PySide6') for k in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == "False"


# -- the panel (Qt) ---------------------------------------------------------------------------------------
def test_panel_shows_a_lesson_and_signals(qtbot) -> None:
    from PySide6.QtCore import Qt

    from gui.panels.lesson_panel import LessonPanel

    panel = LessonPanel()
    qtbot.addWidget(panel)
    panel.resize(300, 700)
    panel.show()
    lesson = lessons()["adagrad-stalls"]
    panel.show_lesson(lesson, "en")
    assert panel.lesson is lesson and panel.layoutDirection() == Qt.LeftToRight
    assert "AdaGrad: a rate per weight" in panel.title_label.text()
    assert "stalls in the long valley" in panel.summary_label.text()
    body = panel.body.toPlainText()
    assert all(p[:40] in body for p in lesson.text("paragraphs", "en"))
    assert panel.play_button.text() == "Play this lesson"
    assert [b.property("target") for b in panel.hint_buttons] == [h.target for h in lesson.watch]

    with qtbot.waitSignal(panel.highlight, timeout=1000) as blocker:
        qtbot.mouseClick(panel.hint_buttons[1], Qt.LeftButton)
    assert blocker.args == ["G"]
    with qtbot.waitSignal(panel.play_requested, timeout=1000):
        qtbot.mouseClick(panel.play_button, Qt.LeftButton)
    with qtbot.waitSignal(panel.closed, timeout=1000):
        qtbot.mouseClick(panel.close_button, Qt.LeftButton)


def test_panel_persian_is_right_to_left_with_formulas_left_to_right(qtbot) -> None:
    from PySide6.QtCore import Qt

    from gui.panels.lesson_panel import LessonPanel, isolate_ltr

    panel = LessonPanel()
    qtbot.addWidget(panel)
    compare = lessons()["compare-adam-bias"]
    panel.show_lesson(compare, "fa")
    assert panel.layoutDirection() == Qt.RightToLeft
    assert "dir='rtl'" in panel.summary_label.text() and "3.16" in panel.summary_label.text()
    assert "font-weight: bold" in panel.summary_label.styleSheet(), "a compare preset's sentence stands out"
    assert panel.play_button.text() == "Play this comparison"
    assert panel.body.document().defaultTextOption().textDirection() == Qt.RightToLeft
    assert PERSIAN.search(panel.body.toPlainText())
    assert (
        isolate_ltr("گام Δw_i = −η/(√G_i + ε)·g_i را")
        == "گام \u202aΔw_i\xa0=\xa0−η/(√G_i\xa0+\xa0ε)·g_i\u202c را"
    )
    assert isolate_ltr("(تکانه، α = 0.9)") == "(تکانه، \u202aα\xa0=\xa00.9\u202c)", (
        "brackets pair with the RTL text"
    )
    panel.show_lesson(compare, "en")
    assert panel.layoutDirection() == Qt.LeftToRight and "\u202a" not in panel.body.toPlainText()


def _texts(node: object, key: str = "") -> list[str]:
    """Every string a learner reads in a lesson file (not the race's own settings)."""
    if key == "session":
        return []
    if isinstance(node, dict):
        return [t for k, v in node.items() for t in _texts(v, k)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v, key)]
    return [node] if isinstance(node, str) and key in ("en", "fa") else []


def test_lessons_name_optimizers_as_the_list_does_and_write_formulas_as_the_inspector() -> None:
    from engine.optimizers import OPTIMIZERS

    internal = [k for k in OPTIMIZERS if "-" in k]  # ids like adam-lecture never reach a learner
    assert internal
    folder = Path(__file__).resolve().parents[2] / "resources/lessons"
    for path in sorted(folder.glob("*.json")):
        for text in _texts(json.loads(path.read_text(encoding="utf-8"))):
            for name in internal:
                assert name not in text, (path.name, text[:80])
            # Gᵢ(t), not G_i(t): the inspector's notation (G₁(t), G₂(t) for the two weights)
            assert not re.search(r"(Δw|[GMgw])_i(?![A-Za-z])", text), (path.name, text[:80])


# -- data losses, minibatches and noise (lessons 10–12) ---------------------------------------------------
def distance(run: Trajectory, point: tuple[float, float]) -> np.ndarray:
    return np.linalg.norm(run.w - np.asarray(point), axis=1)


def path_length(run: Trajectory, first: int) -> float:
    return float(np.linalg.norm(np.diff(run.w[first:], axis=0), axis=1).sum())


def step_cosine(run: Trajectory, first: int) -> float:
    """Mean cosine between successive steps Δw(t), Δw(t+1) from step ``first`` on."""
    dw = np.diff(run.w, axis=0)[first:]
    a, b = dw[:-1], dw[1:]
    return float(np.mean((a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)))


def first_within(d: np.ndarray, radius: float) -> int:
    return int(np.nonzero(d < radius)[0][0])


def test_lesson_10_minibatches_wobble_and_eta_sets_the_wobble() -> None:
    from engine.data import epoch_at, steps_per_epoch
    from engine.simulate import surface_for

    config = lessons()["full-vs-minibatch"].config
    surface = surface_for(config)
    star = surface.minima[0]
    assert surface.data.n == 342 and config.batch_size == 8
    assert round(star[0], 3) == 0.871 and abs(star[1]) < 1e-9
    assert steps_per_epoch(8, 342) == 43 and epoch_at(43, 8, 342) == 1.0
    r = runs("full-vs-minibatch")
    fast, slow = distance(r["sgd"], star), distance(r["sgd#2"], star)
    assert first_within(fast, 0.1) == 8 and first_within(slow, 0.1) == 55
    assert round(fast[1001:].mean(), 3) == 0.064 and round(slow[1001:].mean(), 3) == 0.018
    assert round(fast[1001:].mean() / slow[1001:].mean(), 1) == 3.5
    assert r["sgd"].status != "converged"  # a minibatch never stops it
    assert fast[43] < 0.1  # one epoch of minibatches
    full = race_runs(replace(config, batch_size=0))
    assert full["sgd"].status == "converged" and len(full["sgd"].loss) - 1 == 106
    assert round(distance(full["sgd"], star)[1], 2) == 0.70  # one full-batch step: the same work


def test_lesson_11_rmsprop_step_ignores_the_noise_and_adam_averages_it() -> None:
    config = lessons()["noise-adaptive"].config
    assert config.noise == 2.0 and config.loss == "quadratic" and config.loss_params == {"condition": 10.0}
    star = (0.0, 0.0)

    def measures(noise: float) -> dict[str, tuple[float, float, float]]:
        r = runs("noise-adaptive") if noise == 2.0 else race_runs(replace(config, noise=noise))
        return {
            k: (path_length(run, 1000), float(distance(run, star)[1001:].mean()), step_cosine(run, 1000))
            for k, run in r.items()
        }

    m = measures(2.0)
    assert round(m["sgd"][0]) == 139 and round(m["sgd"][1], 2) == 0.32
    assert round(m["rmsprop"][0]) == 61 and round(m["rmsprop"][1], 2) == 0.22
    assert round(m["adam"][0], 1) == 13.5 and round(m["adam"][1], 2) == 0.22
    assert round(m["adam"][2], 2) == 0.80 and round(m["sgd"][2], 2) == -0.12
    m8 = measures(8.0)
    assert round(m8["sgd"][1], 2) == 1.28 and round(m8["sgd"][0]) == 556
    assert round(m8["sgd"][0] / m["sgd"][0]) == 4  # SGD's path grows with σ …
    assert round(m8["rmsprop"][0]) == 61 and round(m8["adam"][0]) == 15  # … theirs does not


def test_lesson_12_raw_features_make_a_ravine_standardised_a_bowl() -> None:
    from engine.simulate import surface_for

    config = lessons()["standardise-features"].config
    assert config.data is not None and not config.data.standardize and config.batch_size == 0
    raw = surface_for(config)
    X = raw.data.X
    hessian = 2 * np.array([[np.mean(X * X), np.mean(X)], [np.mean(X), 1.0]])  # of the mean squared error
    eig = np.linalg.eigvalsh(hessian)
    assert round(eig[1] / eig[0] / 1e6) == 8  # "about 8 million times"
    assert round(2 / eig[1], 6) == 2.5e-5
    w1, w2 = raw.minima[0]
    assert (round(w1, 1), round(w2)) == (49.7, -5781)
    r = runs("standardise-features")
    assert r["sgd#2"].status == DIVERGED and len(r["sgd#2"].loss) - 1 == 38
    assert round(r["sgd"].w[-1][1], 1) == -2.1 and len(r["sgd"].loss) - 1 == 2000
    assert round(r["adam"].w[-1][1]) == -2317
    # standardised: a round bowl, and the same racers
    standard = replace(config, data=replace(config.data, standardize=True))
    bowl = surface_for(standard)
    Xs = bowl.data.X
    eig = np.linalg.eigvalsh(2 * np.array([[np.mean(Xs * Xs), np.mean(Xs)], [np.mean(Xs), 1.0]]))
    assert np.allclose(eig, 2.0)
    assert round(bowl.minima[0][0], 3) == 0.871 and abs(bowl.minima[0][1]) < 1e-9
    s = race_runs(standard)
    assert s["sgd#2"].status == "converged" and len(s["sgd#2"].loss) - 1 == 106
    assert s["adam"].status == "converged" and len(s["adam"].loss) - 1 == 477
    assert s["sgd"].status != "converged" and distance(s["sgd"], bowl.minima[0])[-1] > 0.5
