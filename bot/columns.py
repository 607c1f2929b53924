"""The retrieval index's per-passage data as numpy columns, which a saved index memory-maps.

At a million passages, Python objects per passage (a string per text and id, a dict per metadata row, a
million-entry id map) cost gigabytes of a serving process's memory and seconds of its start. Here the texts and
ids are one UTF-8 byte array with offsets, each metadata field is its distinct values once plus one int32 code
per passage, and an id finds its row by binary search over the sorted ids. Loaded with ``mmap_mode="r"``, the
arrays are file pages the processes serving a store share, read only where a question touches them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np

T = TypeVar("T")


def _save(folder: Path, name: str, array: np.ndarray) -> None:
    np.save(folder / f"{name}.npy", array, allow_pickle=False)


def _load(folder: Path, name: str) -> np.ndarray:
    return np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)


class Strings(Sequence[str]):
    """Many strings as one byte array and their offsets; each decoded only when read."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self.blob, self.offsets = blob, offsets

    @classmethod
    def of(cls, items: Iterable[str]) -> Strings:
        encoded = [s.encode() for s in items]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i):  # type: ignore[override]  # int only: nothing here slices
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        i %= len(self)
        return self.blob[self.offsets[i]:self.offsets[i + 1]].tobytes().decode()

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))

    def save(self, folder: Path, name: str) -> None:
        _save(folder, f"{name}-bytes", self.blob)
        _save(folder, f"{name}-offsets", self.offsets)

    @classmethod
    def load(cls, folder: Path, name: str) -> Strings:
        return cls(_load(folder, f"{name}-bytes"), _load(folder, f"{name}-offsets"))


class Coded(Sequence[T], Generic[T]):
    """A value per passage from few distinct ones (a source, a role heading, a set of role keys): each distinct
    value once, in order of first appearance, and one code per passage."""

    def __init__(self, values: list[T], codes: np.ndarray) -> None:
        self.values, self.codes = values, codes

    @classmethod
    def of(cls, items: Iterable[T]) -> Coded[T]:
        index: dict[T, int] = {}
        codes = np.fromiter((index.setdefault(v, len(index)) for v in items), dtype=np.int32)
        return cls(list(index), codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i):  # type: ignore[override]
        return self.values[self.codes[i]]

    def __iter__(self) -> Iterator[T]:
        return (self.values[c] for c in self.codes)

    def mapped(self, value_of) -> Coded:
        """Another value per passage computed from this one's distinct values: once per value, not per passage."""
        return Coded([value_of(v) for v in self.values], self.codes)

    def where(self, wanted) -> np.ndarray:
        """A mask of the passages whose value passes ``wanted``: one test per distinct value."""
        return np.isin(self.codes, [c for c, v in enumerate(self.values) if wanted(v)])

    def save(self, folder: Path, name: str) -> None:
        """The codes only: the caller keeps the distinct values in its JSON."""
        _save(folder, name, self.codes)

    @classmethod
    def load(cls, folder: Path, name: str, values: list[T]) -> Coded[T]:
        return cls(values, _load(folder, name))


class Table(Sequence[dict[str, str]]):
    """String metadata fields as coded columns; a row is a plain dict, made when read."""

    def __init__(self, columns: dict[str, Coded[str]]) -> None:
        self.columns = columns

    @classmethod
    def of(cls, rows: list[dict[str, str]], keys: tuple[str, ...]) -> Table:
        return cls({key: Coded.of(row.get(key, "") for row in rows) for key in keys})

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def __getitem__(self, i):  # type: ignore[override]
        return {key: column[i] for key, column in self.columns.items()}

    def __iter__(self) -> Iterator[dict[str, str]]:
        return (self[i] for i in range(len(self)))

    def values(self, key: str) -> list[str]:
        """Each distinct value of one field, in order of first appearance."""
        return self.columns[key].values

    def distinct(self, keys: tuple[str, ...], mask: np.ndarray | None = None) -> list[tuple[str, ...]]:
        """The distinct value combinations of these fields (among the masked rows), in order of first appearance."""
        if not len(self):
            return []
        codes = np.stack([self.columns[k].codes for k in keys], axis=1)
        if mask is not None:
            codes = codes[mask]
        combos, first = np.unique(codes, axis=0, return_index=True)
        return [tuple(self.columns[k].values[c] for k, c in zip(keys, combo, strict=True))
                for combo in combos[np.argsort(first)]]

    def save(self, folder: Path, name: str) -> dict[str, list[str]]:
        """The codes as arrays; the distinct values are returned for the caller's JSON."""
        for key, column in self.columns.items():
            column.save(folder, f"{name}-{key}")
        return {key: column.values for key, column in self.columns.items()}

    @classmethod
    def load(cls, folder: Path, name: str, values: dict[str, list[str]]) -> Table:
        return cls({key: Coded.load(folder, f"{name}-{key}", vals) for key, vals in values.items()})


class Positions:
    """Row of each chunk id, found by binary search over the sorted ids instead of a million-entry dict."""

    def __init__(self, sorted_ids: np.ndarray, rows: np.ndarray) -> None:
        self.sorted_ids, self.rows = sorted_ids, rows

    @classmethod
    def of(cls, ids: Iterable[str]) -> Positions:
        keys = np.array([i.encode() for i in ids], dtype=bytes)
        order = np.argsort(keys, kind="stable")
        return cls(keys[order], order.astype(np.int64))

    def get(self, id_: str) -> int | None:
        key = id_.encode()
        at = int(np.searchsorted(self.sorted_ids, key))
        if at < len(self.sorted_ids) and self.sorted_ids[at] == key:
            return int(self.rows[at])
        return None

    def __contains__(self, id_: str) -> bool:
        return self.get(id_) is not None

    def __getitem__(self, id_: str) -> int:
        row = self.get(id_)
        if row is None:
            raise KeyError(id_)
        return row

    def save(self, folder: Path, name: str) -> None:
        _save(folder, f"{name}-sorted", self.sorted_ids)
        _save(folder, f"{name}-rows", self.rows)

    @classmethod
    def load(cls, folder: Path, name: str) -> Positions:
        return cls(_load(folder, f"{name}-sorted"), _load(folder, f"{name}-rows"))
