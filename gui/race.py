"""The Qt adapter of ``engine.race.Race``: its events as typed signals, and the record the views draw.

The window wires widgets to this model and keeps no race state of its own: the racers,
their labels and colours, the edit log and each racer's recorded rows all live here (the
rows in ``histories``, one ``RacerHistory`` per racer key). The worker thread drives the
engine race; events it causes arrive here queued, on the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from gui.history import RacerHistory
from gui.i18n import tr_engine

if TYPE_CHECKING:
    from engine.config import RacerConfig, SessionConfig
    from engine.race import Race
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
        self.engine = race
        #: The race as last reported: it always matches ``histories`` (the worker may already
        #: race a newer configuration whose reset is still on its way to this thread).
        self._config = race.config
        self.histories: dict[str, RacerHistory] = {}
        self.generation = 0
        self._labels: dict[str, str] = {}  # last reported, to tell when an edit renames a racer
        self._event.connect(self._on_event)  # queued when the worker thread reports
        race.subscribe(self._event.emit)

    # -- reading -------------------------------------------------------------------------
    @property
    def config(self) -> SessionConfig:
        """The race as a session: racers as at step 0 and the edits since."""
        return self._config

    def current(self) -> dict[str, RacerConfig]:
        """Each racer's settings now, by key, in race order (what the controls edit)."""
        return {r.key: r for r in self._config.current_racers()}

    def racer(self, key: str) -> RacerConfig:
        return self.current()[key]

    def optimizer(self, key: str) -> str:
        racer = self.current().get(key)
        return racer.optimizer if racer is not None else key

    def color(self, key: str) -> str:
        return self.racer(key).color

    def label(self, key: str, config: SessionConfig | None = None) -> str:
        """The racer's label in the interface language ("RMSprop β=0.5"), in ``config`` or the race."""
        from engine.config import label_parts

        racers = (config or self.config).current_racers()
        racer = next((r for r in racers if r.key == key), None)
        if racer is None:  # a record whose racer has just gone
            return key
        if racer.label:
            return racer.label
        title, detail = label_parts(racer, racers)
        return f"{tr_engine(title)} {detail}".strip()

    def labels(self, keys: list[str] | None = None, config: SessionConfig | None = None) -> dict[str, str]:
        keys = list(self.histories) if keys is None else keys
        return {k: self.label(k, config) for k in keys}

    def colors(self, keys: list[str] | None = None) -> dict[str, str]:
        keys = list(self.histories) if keys is None else keys
        current = self.current()
        return {k: current[k].color for k in keys if k in current}

    def update(self, **changes: object) -> None:
        """Step limit, view or start: no restart (a new start restarts through the worker)."""
        from dataclasses import replace

        self.engine.update(**changes)
        self._config = replace(self._config, **changes)

    def replace_config(self, config: SessionConfig) -> None:
        """Remembered settings, before anything races."""
        self.engine.replace_config(config)
        self._config = config

    def settings_at(self, key: str, step: int) -> RacerConfig | None:
        """The racer's settings in force at ``step`` (edits applied up to it); None if it has gone."""
        try:
            return self._config.settings_at(key, step)
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
        """Append a worker's chunks to the records; False for a stale race's rows."""
        if generation != self.generation:
            return False
        for key, chunk in chunks:
            history = self.histories.get(key)
            # a racer taken out and put back has a new record: rows of its old run are dropped
            if history is not None and len(chunk) and int(chunk.step[0]) == history.last_step + 1:
                history.append(chunk, thin=False)
        # one record thinned per chunk: five at once would stall a frame (RacerHistory.append)
        over = [h for h in self.histories.values() if h.over_cap]
        if over:
            max(over, key=len).thin()
        return True

    def _on_event(self, event: Any) -> None:
        from engine.race import Edited, RaceReset, RacersChanged

        self._config = event.config
        if isinstance(event, RaceReset):
            self.generation = event.generation
            self.histories = {}
            for s in event.starts:
                self.histories[s.key] = self._new_history(s)
            self.reset.emit()
        elif isinstance(event, RacersChanged):
            for key in event.removed:
                self.histories.pop(key, None)
            for start, chunk in event.added:
                history = self._new_history(start)
                if chunk is not None and len(chunk):
                    history.append(chunk)
                self.histories[start.key] = history
            order = [r.key for r in event.config.racers]
            self.histories = {k: self.histories[k] for k in order if k in self.histories}
            self.racers_changed.emit()
        elif isinstance(event, Edited):
            self.edited.emit(event.key)
            labels = self.labels(list(self.current()))
            if labels != self._labels:  # a setting that told namesakes apart changed
                self._labels = labels
                self.relabelled.emit()
            return
        self._labels = self.labels(list(self.current()))

    @staticmethod
    def _new_history(start: Any) -> RacerHistory:
        history = RacerHistory(start.start, start.loss0)
        history.status = start.status
        return history
