"""Tables of data a loss can be fitted to: the built-in registry and user CSV files.

``DATASETS`` is the one registry of shipped tables (the CLI's ``list``, the GUI's loss picker and
the tests read it); ``load_table`` reads a built-in by name or a CSV path, through the same bounded,
regular-file reader as session files (``engine.reading``), so a FIFO or ``/dev/zero`` named
``x.csv`` is refused instead of hanging or eating memory. Nothing in a file is ever evaluated:
cells are parsed as numbers or kept as text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.errors import ConfigError
from engine.messages import message_of, msg, os_reason
from engine.reading import FileRefused, read_regular_file

__all__ = [
    "DATASETS",
    "MAX_CSV_BYTES",
    "MAX_ROWS",
    "MISSING",
    "DataError",
    "Dataset",
    "Preset",
    "Table",
    "load_table",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "resources" / "data"
#: The largest CSV read (20 MB: hundreds of thousands of rows, far more than a 2-weight model needs).
MAX_CSV_BYTES = 20_000_000
#: Rows a table may have: a full-data logistic step costs O(rows), so a bound keeps the window live.
MAX_ROWS = 200_000
#: Cells that mean "no value" (R writes NA, pandas NaN; an empty cell is missing too).
MISSING = frozenset({"", "NA", "N/A", "NaN", "nan", "null", "NULL"})


class DataError(ConfigError):
    """Data that cannot make a loss; the message says what is wrong and what is allowed."""


@dataclass(frozen=True)
class Preset:
    """A ready-made problem on a dataset: what the loss picker and ``main.py list`` offer.

    ``standardize``: the picker starts it on standardised features. Every optimizer's default η is
    made for weights of order 1 and curvatures of order 1 (the bowl, the standard surfaces); raw
    millimetres and grams make a ravine whose steep curvature (≈ 8·10⁴) sends default SGD off at
    once and whose far minimum (w2 ≈ −5781) Adam's η = 0.01 steps never reach. Standardised, the
    defaults race, and the noise of a minibatch is what tells the optimizers apart. Unticking
    "Standardise features" shows the ravine (lesson "Standardise your features").
    """

    title: str
    model: str  # "linear" | "logistic"
    x: str
    y: str
    positive: str = ""
    standardize: bool = True


@dataclass(frozen=True)
class Dataset:
    """A table shipped with the app, with its credit and the problems it suits."""

    name: str
    title: str
    path: Path
    credit: str
    presets: tuple[Preset, ...] = ()
    description: str = ""


DATASETS: dict[str, Dataset] = {
    "penguins": Dataset(
        name="penguins",
        title="Palmer penguins",
        path=DATA_DIR / "penguins.csv",
        credit="Gorman, Williams & Fraser (2014), PLoS ONE 9(3): e90081; CC0 (palmerpenguins)",
        presets=(
            Preset("flipper length → body mass", "linear", "flipper_length_mm", "body_mass_g"),
            Preset("bill length → species (Gentoo?)", "logistic", "bill_length_mm", "species", "Gentoo"),
        ),
        description="344 penguins of three species, Palmer Archipelago, Antarctica, 2007–2009",
    ),
}


@dataclass(frozen=True)
class Table:
    """A CSV's columns: numbers where every present cell is a number (NaN = missing), text otherwise.

    ``columns`` lists every name in file order; each is in exactly one of ``numeric`` and ``text``.
    ``first_text`` gives, for a text column, the first cell that is not a number (its line in the
    file and the value), so "text in a numeric column" can say where.
    """

    source: str
    sha256: str
    columns: tuple[str, ...]
    numeric: dict[str, np.ndarray]
    text: dict[str, tuple[str, ...]]
    first_text: dict[str, tuple[int, str]]
    rows: int

    def column(self, name: str, role: str) -> np.ndarray | tuple[str, ...]:
        """The column ``name``, or DataError listing the columns there are."""
        if name in self.numeric:
            return self.numeric[name]
        if name in self.text:
            return self.text[name]
        raise DataError(
            msg(
                "{source} has no column {name} for {role}; its columns are: {allowed}",
                source=self.source,
                name=repr(name),
                role=role,
                allowed=", ".join(self.columns),
            )
        )

    def numbers(self, name: str, role: str) -> np.ndarray:
        """A numeric column, or DataError: an unknown name, or text in it (where, and the numeric columns)."""
        values = self.column(name, role)
        if isinstance(values, np.ndarray):
            return values
        line, cell = self.first_text[name]
        raise DataError(
            msg(
                "column {name} of {source} must hold numbers for {role}, but line {line} has {value}; "
                "numeric columns: {allowed}",
                name=repr(name),
                source=self.source,
                role=role,
                line=line,
                value=repr(cell[:40]),
                allowed=", ".join(self.numeric) or msg("none"),
            )
        )


def _number(cell: str) -> float | None:
    """The cell as a finite number, or None if it is not one (inf and nan words are text here)."""
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _parse(raw: bytes, source: str) -> Table:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(msg("{source} is not a text (UTF-8) file", source=source)) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise DataError(
                msg("{source} is empty: a CSV needs a header line of column names", source=source)
            )
        names = [h.strip() for h in header]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates or "" in names:
            raise DataError(
                msg(
                    "{source}: every column needs its own name in the header line "
                    "(empty or repeated: {names})",
                    source=source,
                    names=", ".join(repr(n) for n in duplicates) or "''",
                )
            )
        cells: list[list[str]] = [[] for _ in names]
        rows = 0
        for row in reader:
            if not row or not any(c.strip() for c in row):
                continue  # blank lines are not rows
            if len(row) != len(names):
                raise DataError(
                    msg(
                        "{source}, line {line}: {count} cells, but the header names {columns} columns",
                        source=source,
                        line=reader.line_num,
                        count=len(row),
                        columns=len(names),
                    )
                )
            rows += 1
            if rows > MAX_ROWS:
                raise DataError(
                    msg("{source} has more than {limit} rows", source=source, limit=f"{MAX_ROWS:,}")
                )
            for column, cell in zip(cells, row, strict=True):
                column.append(cell.strip())
    except csv.Error as exc:
        raise DataError(
            msg("{source} is not a readable CSV file: {reason}", source=source, reason=str(exc))
        ) from None
    numeric: dict[str, np.ndarray] = {}
    textual: dict[str, tuple[str, ...]] = {}
    first_text: dict[str, tuple[int, str]] = {}
    for name, column in zip(names, cells, strict=True):
        values = np.full(rows, np.nan)
        bad: tuple[int, str] | None = None
        for i, cell in enumerate(column):
            if cell in MISSING:
                continue
            number = _number(cell)
            if number is None:
                bad = (i + 2, cell)  # line in the file: the header is line 1
                break
            values[i] = number
        if bad is None:
            numeric[name] = values
        else:
            textual[name] = tuple(column)
            first_text[name] = bad
    return Table(source, hashlib.sha256(raw).hexdigest(), tuple(names), numeric, textual, first_text, rows)


def load_table(ref: str) -> Table:
    """A built-in dataset by name (``DATASETS``) or a CSV file by path; DataError says what is wrong."""
    if not isinstance(ref, str) or not ref.strip():
        raise DataError(
            msg("a dataset is a built-in name ({names}) or a CSV file's path", names=", ".join(DATASETS))
        )
    dataset = DATASETS.get(ref.strip())
    path = dataset.path if dataset is not None else Path(ref)
    source = dataset.name if dataset is not None else path.name
    if dataset is None and path.suffix.lower() not in (".csv", ".tsv", ".txt") and not path.exists():
        raise DataError(
            msg(
                "{ref} is neither a built-in dataset ({names}) nor a CSV file",
                ref=repr(ref),
                names=", ".join(DATASETS),
            )
        )
    try:
        raw = read_regular_file(path, MAX_CSV_BYTES, msg("a CSV table"))
    except FileRefused as exc:
        raise DataError(message_of(exc)) from None
    except OSError as exc:
        raise DataError(msg("cannot read {path}: {reason}", path=str(path), reason=os_reason(exc))) from None
    return _parse(raw, source)
