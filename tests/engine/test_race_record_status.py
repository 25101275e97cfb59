"""A run that stops between two ticks still reaches the record: diverged at 1×, converged."""

from __future__ import annotations

from dataclasses import replace

from engine.config import RacerConfig, SessionConfig
from engine.race import Race, RaceRecord
from engine.simulate import Run, surface_for


def raced_one_step_a_tick(config: SessionConfig, ticks: int) -> tuple[Race, RaceRecord]:
    """The window at 1×: one step a tick, every tick's chunks into the record as the worker sends them."""
    race = Race(config, max_rows=16)
    record = RaceRecord()
    race.subscribe(record.take_event)
    race.start(config, surface_for(config))
    for _ in range(ticks):
        assert record.take_chunks(race.generation, race.advance(1, 4096))
    return race, record


def test_a_racer_that_diverges_at_one_step_a_tick_is_recorded_as_diverged() -> None:
    """SGD with η = 0.01 on Rosenbrock from (−1.2, 1): L = 1.8e105 at step 5, and step 6 would
    overflow, so the tick after step 5 brings no row, only "diverged at step 6". The record dropped
    that empty chunk: the window showed SGD "running" at step 5 for the rest of the race."""
    config = SessionConfig(
        loss="rosenbrock", start=(-1.2, 1.0), steps=100,
        racers=(RacerConfig(optimizer="sgd", key="sgd", hyperparameters={"lr": 0.01}),
                RacerConfig(optimizer="adam", key="adam")),
    )  # fmt: skip
    reference = Run("rosenbrock", "sgd", (-1.2, 1.0), lr=0.01)
    reference.advance(100)
    assert reference.status == "diverged" and reference.diverged_at == 6 and reference.t == 5
    _race, record = raced_one_step_a_tick(config, 10)
    sgd = record.racers["sgd"]
    assert sgd.last_step == 5
    assert (sgd.status, sgd.diverged_at) == ("diverged", 6)
    assert record.racers["adam"].status == "finished" and record.racers["adam"].last_step == 10


def test_a_racer_that_converges_between_ticks_is_recorded_as_converged() -> None:
    """The bowl's minimum as the start: the first tick finds ‖g‖ < tol and takes no step."""
    config = replace(
        SessionConfig(loss="quadratic", steps=50, tol=1e-6),
        start=(0.0, 0.0),
        racers=(RacerConfig(optimizer="adam", key="adam"),),
    )
    _race, record = raced_one_step_a_tick(config, 3)
    assert record.racers["adam"].status == "converged"
    assert record.racers["adam"].last_step == 0


def test_an_empty_chunk_of_an_old_run_does_not_stop_a_new_record() -> None:
    """Only the step after the record's newest can have diverged: a stale "diverged at 6" of a
    run taken out and put back (its new record at step 2) is not this record's."""
    config = SessionConfig(loss="quadratic", steps=50, racers=(RacerConfig(optimizer="adam", key="adam"),))
    _race, record = raced_one_step_a_tick(config, 2)
    run = Run("quadratic", "adam", (-3.5, 1.5))
    stale = replace(run.advance(0), status="diverged", diverged_at=6)
    record.take_chunks(record.generation, [("adam", stale)])
    assert record.racers["adam"].status != "diverged"
