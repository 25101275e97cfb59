"""The Qt adapter of ``engine.race``: the race's events as typed signals, its record for the views.

The window wires widgets to this model and keeps no race state of its own. The racers, their
labels and colours and the edit log are the engine race's; the rows the views draw are the
engine's ``RaceRecord`` (``record``; ``histories`` is its racers' records by key), fed here on
the GUI thread with the events and chunks the worker thread reports (they arrive queued).
This module only turns them into signals and labels in the interface language.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from gui.i18n import current_language, tr_engine, translate_message

if TYPE_CHECKING:
    from engine.config import RacerConfig, SessionConfig
    from engine.race import Race, RaceRecord
    from engine.record import RacerRecord
    from engine.simulate import Chunk


class RaceModel(QObject):
    """What the window and the views read about the race; changes go to the engine race."""

    #: A fresh race from step 0: every view starts over.
    reset = Signal()
    #: Racers added, removed, reordered, relabelled or recoloured; the others' records are kept.
    racers_changed = Signal()
    #: A racer's settings changed (its key); the edit is in ``config.edits``.
    edited = Signal(str)
    #: An edit changed what tells namesakes apart ("RMSprop β=0.5" → "β=0.6"): only labels change.
    relabelled = Signal()
    _event = Signal(object)

    def __init__(self, race: Race, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from engine.race import RaceRecord

        self.engine = race
        #: What the views draw: the race as last reported and each racer's bounded record (the
        #: worker may already race a newer configuration whose reset is still on its way here).
        self.record: RaceRecord = RaceRecord(race.config)
        self._labels: dict[str, str] = {}  # last reported, to tell when an edit renames a racer
        # labels worked out for one (config, language): the readout asks twice at 5 Hz while playing
        self._made_for: tuple[object, str] | None = None
        self._made: dict[tuple[tuple[str, ...], tuple[str, ...]], dict[str, str]] = {}
        self._event.connect(self._on_event)  # queued when the worker thread reports
        race.subscribe(self._event.emit)

    # -- reading -------------------------------------------------------------------------
    @property
    def config(self) -> SessionConfig:
        """The race as a session: racers as at step 0 and the edits since."""
        return self.record.config

    @property
    def histories(self) -> dict[str, RacerRecord]:
        """Each racing racer's recorded rows, by key, in race order (the record's)."""
        return self.record.racers

    @property
    def generation(self) -> int:
        return self.record.generation

    def last_step(self) -> int:
        """The furthest step any racer's record reached."""
        return self.record.last_step()

    def current(self) -> dict[str, RacerConfig]:
        """Each racer's settings now, by key, in race order (what the controls edit)."""
        return {r.key: r for r in self.record.config.current_racers()}

    def racer(self, key: str) -> RacerConfig:
        return self.current()[key]

    def optimizer(self, key: str) -> str:
        racer = self.current().get(key)
        return racer.optimizer if racer is not None else key

    def color(self, key: str) -> str:
        return self.racer(key).color

    def label(self, key: str, config: SessionConfig | None = None, leave_out: Collection[str] = ()) -> str:
        """The racer's label in the interface language ("RMSprop β=0.5"), in ``config`` or the race;
        ``leave_out``: hyperparameters shown beside it, not in it (``engine.config.label_parts``)."""
        return self.labels([key], config, leave_out)[key]

    def labels(
        self,
        keys: list[str] | None = None,
        config: SessionConfig | None = None,
        leave_out: Collection[str] = (),
    ) -> dict[str, str]:
        """``label`` of each key, the race's current settings worked out once for all of them (and
        kept until the race or the language changes: a config is immutable)."""
        from engine.config import label_parts

        keys = list(self.histories) if keys is None else keys
        config = config or self.config
        language = current_language()
        if self._made_for is None or self._made_for[0] is not config or self._made_for[1] != language:
            self._made_for, self._made = (config, language), {}
        asked = (tuple(keys), tuple(sorted(leave_out)))
        if (made := self._made.get(asked)) is not None:
            return dict(made)
        racers = config.current_racers()
        by_key = {r.key: r for r in racers}
        out = {}
        for key in keys:
            racer = by_key.get(key)
            if racer is None:  # a record whose racer has just gone
                out[key] = key
            elif racer.label:
                out[key] = racer.label
            else:
                title, detail = label_parts(racer, racers, leave_out)
                out[key] = f"{tr_engine(title)} {translate_message(detail)}".strip()
        self._made[asked] = dict(out)
        return out

    def colors(self, keys: list[str] | None = None) -> dict[str, str]:
        keys = list(self.histories) if keys is None else keys
        current = self.current()
        return {k: current[k].color for k in keys if k in current}

    def update(self, **changes: object) -> None:
        """Step limit, view or start: no restart (a new start restarts through the worker)."""
        from dataclasses import replace

        self.engine.update(**changes)
        self.record.config = replace(self.record.config, **changes)

    def replace_config(self, config: SessionConfig) -> None:
        """Remembered settings, before anything races."""
        self.engine.replace_config(config)
        self.record.config = config

    def settings_at(self, key: str, step: int) -> RacerConfig | None:
        """The racer's settings in force at ``step`` (edits applied up to it); None if it has gone."""
        try:
            return self.record.config.settings_at(key, step)
        except KeyError:
            return None

    # -- changing ------------------------------------------------------------------------
    def add(self, optimizer: str) -> str:
        from engine.config import RacerConfig

        return self.engine.add(RacerConfig(optimizer))

    def duplicate(self, key: str, **changes: float | str) -> str:
        return self.engine.duplicate(key, **changes)

    def remove(self, key: str) -> None:
        self.engine.remove(key)

    def move(self, key: str, index: int) -> None:
        self.engine.move(key, index)

    def set_enabled(self, key: str, enabled: bool) -> None:
        self.engine.set_enabled(key, enabled)

    def edit(self, racer: RacerConfig) -> None:
        self.engine.edit(racer.key, racer)

    # -- the record ---------------------------------------------------------------------------
    def take_chunks(self, generation: int, chunks: list[tuple[str, Chunk]]) -> bool:
        """Append a worker's chunks to the record; False for a stale race's rows."""
        return self.record.take_chunks(generation, chunks)

    def exact_around(self, step: int | None) -> bool:
        """Rows near ``step`` (None: the newest) made exact for the inspector and the timeline
        (recomputed from the record's checkpoints where it was thinned); True if any changed."""
        return self.record.exact_around(self.last_step() if step is None else step)

    def _on_event(self, event: Any) -> None:
        from engine.race import Edited, RaceReset, RacersChanged

        self.record.take_event(event)
        if isinstance(event, RaceReset):
            self.reset.emit()
        elif isinstance(event, RacersChanged):
            self.racers_changed.emit()
        elif isinstance(event, Edited):
            self.edited.emit(event.key)
            labels = self.labels(list(self.current()))
            if labels != self._labels:  # a setting that told namesakes apart changed
                self._labels = labels
                self.relabelled.emit()
            return
        self._labels = self.labels(list(self.current()))
