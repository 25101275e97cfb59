"""The race model: racers (the same optimizer more than once), their runs, the edit log, replay."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from engine import get_loss, simulate
from engine.config import MAX_RACERS, PALETTE, ConfigError, RacerConfig, SessionConfig
from engine.race import Edited, Race, RaceError, RaceReset, RacersChanged, replay

ARRAYS = ("step", "w", "loss", "grad", "G", "M", "lr", "dw")
START = (-1.5, 2.0)


def rmsprop_trio(steps: int = 300) -> SessionConfig:
    """The lecture's experiment: RMSprop with β = 0.5, 0.9 and 0.99 side by side."""
    racers = tuple(RacerConfig("rmsprop", {"lr": 0.01, "beta": b}) for b in (0.5, 0.9, 0.99))
    return SessionConfig(loss="rosenbrock", start=START, steps=steps, racers=racers, tol=0.0)


def started(config: SessionConfig) -> Race:
    race = Race(config, max_rows=config.steps + 1)
    race.start(config, get_loss(config.loss))
    return race


def run_out(race: Race) -> None:
    while not race.at_end():
        race.advance(97)  # chunk boundaries that fall anywhere


def assert_same_rows(got: object, want: object) -> None:
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(got, name), getattr(want, name), err_msg=name)


def test_three_rmsprop_racers_each_match_simulate_with_their_own_beta() -> None:
    config = rmsprop_trio()
    race = started(config)
    run_out(race)
    runs = race.runs()
    assert list(runs) == ["rmsprop", "rmsprop#2", "rmsprop#3"]
    finals = []
    for key, beta in zip(runs, (0.5, 0.9, 0.99), strict=True):
        want = simulate("rosenbrock", "rmsprop", START, 300, tol=0.0, lr=0.01, beta=beta)
        got = runs[key].trajectory()
        assert got.hyperparameters["beta"] == beta
        assert_same_rows(got, want)
        finals.append(tuple(got.w[-1]))
    assert len(set(finals)) == 3  # three different races, not one drawn three times


def test_racers_get_distinct_palette_colours_and_labels_that_tell_them_apart() -> None:
    config = rmsprop_trio()
    colors = [r.color for r in config.racers]
    assert len(set(colors)) == 3 and set(colors) <= set(PALETTE)
    assert [config.label(r.key) for r in config.racers] == [
        "RMSprop β=0.5",
        "RMSprop β=0.9",
        "RMSprop β=0.99",
    ]
    twins = SessionConfig(
        racers=(RacerConfig("adam"), RacerConfig("adam"), RacerConfig("sgd", label="plain"))
    )
    assert [twins.label(r.key) for r in twins.racers] == ["Adam #1", "Adam #2", "plain"]


def test_a_thirteenth_racer_is_refused_with_a_message_and_the_race_is_untouched() -> None:
    config = SessionConfig(
        racers=tuple(RacerConfig("sgd", {"lr": 0.001 * (i + 1)}) for i in range(MAX_RACERS))
    )
    assert MAX_RACERS == 12
    assert len({r.color for r in config.racers}) == 12  # every racer its own colour
    race = started(replace(config, steps=50))
    with pytest.raises(RaceError, match="at most 12 racers, got 13; remove one"):
        race.add("adam")
    assert len(race.config.racers) == 12 and "adam" not in race.runs()
    with pytest.raises(ConfigError, match="at most 12 racers"):
        SessionConfig(racers=(*config.racers, RacerConfig("adam")))


def test_adding_removing_and_moving_racers_mid_run_keeps_the_others_runs() -> None:
    config = rmsprop_trio(steps=400)
    race = started(config)
    events: list[object] = []
    race.subscribe(events.append)
    race.advance(150)
    runs_before = race.runs()
    key = race.duplicate("rmsprop#2", beta=0.7)
    assert key == "rmsprop#4"
    assert [r.key for r in race.config.racers] == ["rmsprop", "rmsprop#2", "rmsprop#4", "rmsprop#3"]
    added = events[-1]
    assert isinstance(added, RacersChanged) and added.added[0][0].key == key
    # the new racer ran at once up to the others' step, exactly as a fresh run would
    assert race.runs()[key].t == 150
    fresh = simulate("rosenbrock", "rmsprop", START, 150, tol=0.0, lr=0.01, beta=0.7)
    for name in ARRAYS:  # the chunk holds steps 1…150 (row 0, the start, comes with the racer's start)
        np.testing.assert_array_equal(getattr(added.added[0][1], name), getattr(fresh, name)[1:])
    for k, run in runs_before.items():
        assert race.runs()[k] is run and run.t == 150
    race.remove("rmsprop")
    race.move("rmsprop#3", 0)
    assert list(race.runs()) == ["rmsprop#3", "rmsprop#2", "rmsprop#4"]
    assert isinstance(events[-1], RacersChanged) and events[-2].removed == ("rmsprop",)
    run_out(race)
    for k, beta in (("rmsprop#2", 0.9), ("rmsprop#3", 0.99), ("rmsprop#4", 0.7)):
        want = simulate("rosenbrock", "rmsprop", START, 400, tol=0.0, lr=0.01, beta=beta)
        assert_same_rows(race.runs()[k].trajectory(), want)
    with pytest.raises(RaceError, match="no racer 'rmsprop'"):
        race.remove("rmsprop")


def test_a_mid_run_edit_is_logged_at_its_step_and_replays_bit_for_bit() -> None:
    config = replace(
        rmsprop_trio(steps=500), racers=(RacerConfig("adam", {"lr": 0.05}), RacerConfig("rmsprop"))
    )
    race = started(config)
    events: list[object] = []
    race.subscribe(events.append)
    race.advance(123)
    edit = race.edit("adam", race.current()["adam"].with_values(lr=0.2, schedule="exponential:gamma=0.99"))
    assert edit is not None and edit.after_step == 123 and isinstance(events[-1], Edited)
    race.advance(77)
    race.edit("adam", race.current()["adam"].with_values(beta=0.9))
    run_out(race)
    live = race.runs()["adam"].trajectory()
    saved = race.config
    assert saved.racer("adam").hyperparameters["lr"] == 0.05  # as at step 0
    assert [e.after_step for e in saved.edits] == [123, 200]
    assert saved.settings_at("adam", 123).hyperparameters["lr"] == 0.05
    assert saved.settings_at("adam", 124).hyperparameters["lr"] == 0.2
    assert saved.settings_at("adam", 201).hyperparameters["beta"] == 0.9
    # the file form carries the log, and replaying it gives the same numbers
    again = SessionConfig.from_dict(saved.to_dict())
    assert again == saved
    assert_same_rows(replay(again, get_loss("rosenbrock"))["adam"], live)
    # and it differs from a run that kept η = 0.05 throughout
    plain = simulate("rosenbrock", "adam", START, 500, tol=0.0, lr=0.05)
    assert not np.array_equal(plain.w, live.w)
    np.testing.assert_array_equal(plain.w[:124], live.w[:124])


def test_an_edit_before_the_first_step_changes_the_start_and_restart_keeps_current_settings() -> None:
    race = started(rmsprop_trio(steps=50))
    assert race.edit("rmsprop", race.current()["rmsprop"].with_values(lr=0.02)) is None
    assert race.config.racer("rmsprop").hyperparameters["lr"] == 0.02 and not race.config.edits
    race.advance(10)
    race.edit("rmsprop", race.current()["rmsprop"].with_values(lr=0.03))
    reset = race.restart()
    assert isinstance(reset, RaceReset) and not reset.config.edits
    assert reset.config.racer("rmsprop").hyperparameters["lr"] == 0.03
    assert all(run.t == 0 for run in race.runs().values())


@pytest.mark.parametrize("loss", ["rosenbrock", "penguins"])
def test_a_thinned_advance_in_pieces_keeps_the_rows_thinning_the_whole_advance_keeps(loss: str) -> None:
    """The live window's flat-out advance steps in pieces whose rows land in a buffer the run
    reuses (no fresh memory to fault in per tick) and copies out only the rows it keeps: the same
    rows, bit for bit, as thinning one whole advance, with an edit falling inside a piece, and a
    chunk handed out earlier is not overwritten by the next advance."""
    from engine.config import Edit
    from engine.data import DataSpec
    from engine.race import advance_run, advance_thinned, thin_chunk
    from engine.simulate import run_for, surface_for

    if loss == "penguins":
        spec = DataSpec(
            "penguins", "logistic", "bill_length_mm", "species", standardize=True, positive="Gentoo"
        )
        config = SessionConfig(
            data=spec, racers=(RacerConfig("adam", {"lr": 0.05}),), batch_size=8, steps=100_000, tol=0.0
        )
    else:
        config = SessionConfig(loss=loss, start=START, racers=(RacerConfig("adam", {"lr": 0.01}),), tol=0.0)
    racer = config.racers[0]
    racer = replace(racer, key=racer.key or racer.optimizer)
    n = 2 * 8192 + 777
    edit = Edit(racer.key, 8192 + 300, {"lr": 0.002})
    got_run, want_run = (run_for(config, racer, surface_for(config), max_rows=16) for _ in range(2))
    first = advance_thinned(got_run, n, [edit], 2048)
    kept = {name: np.array(getattr(first, name), copy=True) for name in ARRAYS}
    want = want_run.fill_loss(thin_chunk(advance_run(want_run, n, [edit], fill_loss=False), 2048))
    assert_same_rows(first, want)
    advance_thinned(got_run, n, [], 2048)  # the run's buffer is written again
    for name, values in kept.items():
        np.testing.assert_array_equal(getattr(first, name), values, err_msg=name)
    assert not np.isnan(first.loss).any()


def _kernel_stride_config(kind: str) -> SessionConfig:
    if kind == "penguins, minibatch":
        from engine.data import DataSpec

        spec = DataSpec(
            "penguins", "logistic", "bill_length_mm", "species", standardize=True, positive="Gentoo"
        )
        return SessionConfig(
            data=spec, racers=(RacerConfig("adam", {"lr": 0.05}),), batch_size=8, steps=100_000, tol=0.0
        )
    if kind == "diverging":  # SGD just past the quadratic's stable rate: overflows near step 22,790
        return SessionConfig(loss="quadratic", racers=(RacerConfig("sgd", {"lr": 0.2015625}),), tol=0.0)
    noise = 0.5 if kind == "noisy" else 0.0
    return SessionConfig(
        loss="rosenbrock", start=START, racers=(RacerConfig("adam", {"lr": 0.01}),), tol=0.0, noise=noise
    )


@pytest.mark.parametrize("kind", ["exact", "diverging", "penguins, minibatch", "noisy"])
def test_the_kernels_write_only_the_kept_rows_and_they_are_every_rows_selection(kind: str) -> None:
    """Flat out the kernels write only the rows a thinned chunk keeps (``Run.advance_strided``): the
    steps ≤ EXACT_FIRST, the multiples of the stride thinning the tick's steps picks, and the last
    step taken. Bit for bit they are those rows of the same advance recorded whole, tick after tick
    (the first crossing EXACT_FIRST, an edit inside one, a run that diverges inside one), each tick's
    arrays sized to its rows; a data loss's deferred L is filled in every kept row."""
    from engine.config import Edit
    from engine.race import advance_run, advance_thinned, thin_chunk
    from engine.record import EXACT_FIRST, on_stride, thin_rows
    from engine.simulate import run_for, surface_for

    config = _kernel_stride_config(kind)
    racer = replace(config.racers[0], key=config.racers[0].optimizer)
    surface = surface_for(config)
    got_run, want_run = (run_for(config, racer, surface, max_rows=16) for _ in range(2))
    lr = racer.hyperparameters["lr"]
    edits = [Edit(racer.key, 13_000, {"lr": lr * 1.0001}), Edit(racer.key, 40_000, {"lr": lr})]
    got_pending, want_pending = list(edits), list(edits)
    max_rows = 2048
    ticks, first = 0, None
    for n in (3_000, 20_000, 16_384, 5, 16_384):
        t0 = want_run.t
        got = advance_thinned(got_run, n, got_pending, max_rows)
        whole = want_run.fill_loss(advance_run(want_run, n, want_pending, fill_loss=False))
        if not len(whole):
            assert len(got) == 0 and got_run.done
            break
        ticks += 1
        first = got if first is None else first
        planned = np.arange(t0 + 1, t0 + n + 1)
        stride = thin_rows(planned, max_rows, pinned=planned <= EXACT_FIRST)[1] if n > max_rows else 1
        keep = on_stride(whole.step, stride) | (whole.step <= EXACT_FIRST)
        keep[-1] = True  # the current point (or the last finite step of a diverged run)
        for name in ARRAYS:
            np.testing.assert_array_equal(getattr(got, name), getattr(whole, name)[keep], err_msg=name)
        # one block of every field for the planned kept rows and the last: nothing more was written
        planned_kept = np.count_nonzero(on_stride(planned, stride) | (planned <= EXACT_FIRST))
        assert got.w.base is not None and got.w.base.size == 13 * (planned_kept + 1)
        assert (got.status, got.diverged_at) == (whole.status, whole.diverged_at)
        assert got_run.t == want_run.t and np.array_equal(
            got_run.checkpoint().state, want_run.checkpoint().state
        )
        assert not np.isnan(got.loss).any()
        if n == 16_384 and whole.status == "finished":  # no early stop: exactly thin_chunk's rows
            assert_same_rows(got, thin_chunk(whole, max_rows))
    assert (not got_pending and not want_pending) or kind == "diverging"
    assert got_run.status == ("diverged" if kind == "diverging" else "finished")
    assert ticks == (2 if kind == "diverging" else 5)
    if kind == "noisy":  # the draws are on: not the exact run's path
        exact = simulate("rosenbrock", "adam", START, 100, tol=0.0, lr=0.01)
        assert not np.array_equal(exact.w[1:101], first.w[:100])


def test_the_stride_told_to_the_kernels_is_the_one_thinning_the_rows_would_pick() -> None:
    """``stride_for`` counts what ``thin_rows`` counts, without listing the steps; ``kept_steps``
    lists the steps ``on_stride`` and the pinned first steps keep."""
    from engine.record import kept_steps, on_stride, stride_for, thin_rows

    rng = np.random.default_rng(5)
    for _ in range(400):
        first = int(rng.choice([1, 2, 100, 2000, 2048, 2049, 5000, 1_000_003]))
        n = int(rng.integers(1, 70_000))
        limit = int(rng.choice([16, 64, 2048]))
        pin = int(rng.choice([0, 2048]))
        steps = np.arange(first, first + n, dtype=np.int64)
        want = thin_rows(steps, limit, pinned=steps <= pin)[1] if n > limit else 1
        stride = stride_for(first, first + n - 1, limit, pin)
        assert stride == want, (first, n, limit, pin)
        np.testing.assert_array_equal(
            kept_steps(first, first + n - 1, stride, pin), steps[on_stride(steps, stride) | (steps <= pin)]
        )


def test_each_racers_rows_are_handed_on_before_the_next_racer_steps() -> None:
    """``advance(…, each=…)`` gives each racer's chunk as soon as it is computed (the worker puts
    it in the window's mailbox then), with the next racer not yet moved, and returns the same."""
    race = started(rmsprop_trio(steps=1000))
    seen: list[tuple[str, object, list[int]]] = []

    def each(key: str, chunk: object) -> None:
        seen.append((key, chunk, [run.t for run in race.runs().values()]))

    out = race.advance(40, 8, each)
    assert [key for key, *_ in seen] == ["rmsprop", "rmsprop#2", "rmsprop#3"]
    assert [t for *_, t in seen] == [[40, 0, 0], [40, 40, 0], [40, 40, 40]]
    assert [(key, chunk) for key, chunk, _ in seen] == out  # the very chunks it returns
    assert out[0][1].step[-1] == 40


def test_draw_stride_is_the_largest_power_of_two_within_half_the_rows_a_record_keeps() -> None:
    from engine.record import draw_stride

    assert [draw_stride(t, 100) for t in (0, 1, 199, 200, 399, 400, 799, 800, 10**6)] == [
        1, 1, 1, 1, 1, 2, 2, 4, 4096,
    ]  # fmt: skip


def test_rows_no_finer_than_the_windows_record_keeps_leave_it_the_same_bit_for_bit() -> None:
    """Flat out the worker's chunks come no finer than ``draw_stride`` (``Race.advance(…,
    draw_rows)``): a record of that many rows drops the rows between as it takes them. Past 200,000
    steps in ticks of 1,024 the window's record holds the same rows, bit for bit, as one fed every
    step, from less than half the rows (on a data loss each kept row costs a full-data L)."""
    from engine.race import RaceRecord
    from engine.record import DRAW_ROWS
    from engine.simulate import surface_for

    racers = (RacerConfig("adam", {"lr": 0.01}),)
    config = SessionConfig(loss="rosenbrock", start=START, steps=100_000_000, tol=0.0, racers=racers)
    surface = surface_for(config)
    fed: list[tuple[Race, RaceRecord, list[int]]] = []
    for _ in range(2):
        race, record = Race(), RaceRecord()
        race.subscribe(record.take_event)
        race.start(config, surface)
        fed.append((race, record, []))
    for _tick in range(200):
        for (race, record, rows), draw_rows in zip(fed, (None, DRAW_ROWS), strict=True):
            chunks = race.advance(1024, 2048, None, draw_rows)
            rows.append(sum(len(chunk) for _, chunk in chunks))
            record.take_chunks(race.generation, chunks)
    (_, whole, every), (_, drawn, fewer) = fed
    a, b = whole.racers["adam"], drawn.racers["adam"]
    assert a.stride > 1 and a.last_step == b.last_step == 200 * 1024
    np.testing.assert_array_equal(b.step, a.step)
    for name in ("loss", "w", "grad", "G", "M", "lr", "dw"):
        np.testing.assert_array_equal(b.field(name), a.field(name), err_msg=name)
    assert sum(fewer) < sum(every) / 2 and fewer[-1] <= 1024 // 8 + 1
