"""The issue's claim, measured: on the penguins as the window gives them (the picker's preset,
standardised; the default racers with their default η), with minibatches of 8, SGD's path is
noisy and Adam's steadier.

"Steadier" is measured two ways, both from the recorded weights with numpy (not the engine's own
numbers): the mean cosine between successive steps Δw (1: every step goes the way the last one
did; 0: each step turns a right angle on average) and the path's length over its net displacement
(1 for a straight line). Not claimed, because it is not true: that Adam ends nearer ☆, or nearer
its own full-batch path (its normalised step keeps it moving at about η).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from engine.config import DEFAULT_RACERS, RacerConfig, SessionConfig
from engine.data import DataSpec
from engine.datasets import DATASETS
from engine.simulate import run_for, surface_for

STEPS = 300
SEEDS = range(5)
PRESETS = DATASETS["penguins"].presets


def picked(i: int) -> DataSpec:
    """What the window's loss picker races for preset ``i`` (gui.panels.controls.preset_spec)."""
    p = PRESETS[i]
    return DataSpec("penguins", p.model, p.x, p.y, standardize=p.standardize, positive=p.positive)


def step_cosine(w: np.ndarray) -> float:
    d = np.diff(w, axis=0)
    n = np.hypot(d[:, 0], d[:, 1])
    return float(np.mean(np.sum(d[1:] * d[:-1], axis=1) / (n[1:] * n[:-1])))


def wiggle(w: np.ndarray) -> float:
    """Path length / net displacement."""
    d = np.diff(w, axis=0)
    return float(np.hypot(d[:, 0], d[:, 1]).sum() / np.hypot(*(w[-1] - w[0])))


def paths(config: SessionConfig) -> dict[str, np.ndarray]:
    surface = surface_for(config)
    out = {}
    for racer in config.enabled_racers():
        t = run_for(config, racer, surface).record_all(STEPS)
        assert t.status != "diverged", racer.key
        out[racer.key] = np.asarray(t.w)
    return out


def test_the_picker_starts_the_penguins_standardised_and_the_default_race_has_sgd_and_adam() -> None:
    assert PRESETS and all(p.standardize for p in PRESETS)
    assert {"sgd", "adam-lecture"} <= set(DEFAULT_RACERS)


@pytest.mark.parametrize("preset", range(len(PRESETS)), ids=[p.model for p in PRESETS])
def test_with_batch_8_and_the_default_racers_adam_s_path_is_steadier_than_sgd_s(preset: int) -> None:
    for seed in SEEDS:
        config = SessionConfig(data=picked(preset), batch_size=8, seed=seed)
        w = paths(config)
        sgd, adam = w["sgd"], w["adam-lecture"]
        assert len(sgd) == len(adam) == STEPS + 1  # a stochastic run takes every step
        # SGD turns about a right angle each step (within ±0.25 of it); Adam keeps its heading
        assert abs(step_cosine(sgd)) < 0.25 < 0.7 < step_cosine(adam), seed
        assert wiggle(adam) < wiggle(sgd), seed


def test_the_turning_is_the_minibatch_noise_not_the_loss() -> None:
    """On the full batch SGD's path on the bowl is straight; on batches of 8 it turns."""
    config = SessionConfig(data=picked(0), batch_size=8)
    full = paths(replace(config, batch_size=0, racers=(RacerConfig("sgd"),)))["sgd"]
    assert step_cosine(full) > 0.99 and wiggle(full) < 1.01
    assert step_cosine(paths(config)["sgd"]) < 0.25


@pytest.mark.parametrize("preset", range(len(PRESETS)), ids=[p.model for p in PRESETS])
def test_at_sgd_s_own_eta_adam_still_keeps_its_heading(preset: int) -> None:
    """Adam's steadiness is its M averaging about 10 gradients, not only its smaller default η."""
    sgd = RacerConfig("sgd")
    adam = RacerConfig("adam-lecture", hyperparameters={"lr": sgd.hyperparameters["lr"]})
    for seed in SEEDS:
        w = paths(SessionConfig(data=picked(preset), batch_size=8, seed=seed, racers=(sgd, adam)))
        assert step_cosine(w["adam-lecture"]) > 0.7 > 0.25 > step_cosine(w["sgd"]), seed


def test_on_raw_features_the_default_sgd_diverges() -> None:
    """Why the picker standardises: the raw ravine's steep curvature ≈ 8·10⁴ ≫ 2/η for η = 0.05."""
    config = SessionConfig(data=replace(picked(0), standardize=False), batch_size=8)
    surface = surface_for(config)
    sgd = next(r for r in config.racers if r.key == "sgd")
    t = run_for(config, sgd, surface).record_all(STEPS)
    assert t.status == "diverged" and len(t.loss) - 1 < 100
