"""The retrieval index saved next to the store, keyed by the store's content version.

Building the index reads every chunk, tokenizes it for BM25 and finds the roles each passage names: about 20 s
at 100k chunks. The first process to build an index for a store version (``careerchat ingest`` does it right
after ingesting) saves it here; every later process loads it, the BM25 matrix memory-mapped so several
serving processes share its pages. A new version (any ingest that changed something), another collection or
an edited vocabulary file gets a folder of its own; older folders of the collection are removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import orjson

from bot.bm25 import BM25

FORMAT = 6
"""Bumped whenever what is saved changes, or how it is read from the guides (role headings, word splitting), so
an older folder is never read."""
BM25_DIR, DATA_FILE = "bm25", "index.json"

log = logging.getLogger(__name__)


def folder_for(base: Path, collection: str, key: object) -> Path:
    digest = hashlib.sha256(json.dumps([FORMAT, key], default=repr).encode()).hexdigest()[:16]
    return base / f"{collection}-{digest}"


def save(folder: Path, bm25: BM25, data: dict) -> None:
    """Written to a temporary folder and renamed: a reader never sees half an index. Failing to save (a
    read-only disk) only costs the next process a rebuild."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
        bm25.save(str(staging / BM25_DIR), show_progress=False)
        (staging / DATA_FILE).write_bytes(orjson.dumps(data))
        try:
            os.rename(staging, folder)
        except OSError:  # another process saved the same version first
            shutil.rmtree(staging, ignore_errors=True)
        collection = folder.name.rsplit("-", 1)[0]
        for old in folder.parent.glob(f"{collection}-*"):
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        log.warning("could not save the retrieval index to %s: %s", folder, exc)


def load(folder: Path) -> tuple[BM25, dict] | None:
    """The saved index, or None when there is none or it cannot be read (it is then rebuilt)."""
    if not (folder / DATA_FILE).is_file():
        return None
    try:
        data = orjson.loads((folder / DATA_FILE).read_bytes())
        bm25 = BM25.load(str(folder / BM25_DIR), mmap=True, show_progress=False)
    except (OSError, ValueError, KeyError) as exc:
        log.warning("removing an unreadable retrieval index in %s (it is rebuilt): %s", folder, exc)
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return bm25, data


def columns(rows: list[dict[str, str]], keys: tuple[str, ...]) -> dict[str, dict]:
    """Per key, its distinct values once and one code per row: 100k rows of a few labels stay small and quick."""
    table: dict[str, dict] = {}
    for key in keys:
        codes: dict[str, int] = {}
        row_codes = [codes.setdefault(row.get(key, ""), len(codes)) for row in rows]
        table[key] = {"values": list(codes), "codes": row_codes}
    return table


def rows_of(table: dict[str, dict], count: int) -> list[dict[str, str]]:
    """``columns`` undone; every row shares the distinct value strings."""
    columns_ = [(key, col["values"], col["codes"]) for key, col in table.items()]
    return [{key: values[codes[i]] for key, values, codes in columns_} for i in range(count)]


def set_column(sets: list[frozenset[str]]) -> dict:
    """Role-key sets the same way: each distinct set once (sorted), one code per row."""
    codes: dict[frozenset[str], int] = {}
    row_codes = [codes.setdefault(keys, len(codes)) for keys in sets]
    return {"values": [sorted(keys) for keys in codes], "codes": row_codes}


def sets_of(column: dict) -> list[frozenset[str]]:
    distinct = [frozenset(keys) for keys in column["values"]]
    return [distinct[c] for c in column["codes"]]
