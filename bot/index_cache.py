"""The retrieval index saved next to the store, keyed by the store's content version.

Building the index reads every chunk, tokenizes it for BM25 and finds the roles each passage names: about 20 s
at 100k chunks. The first process to build an index for a store version (``careerchat ingest`` does it right
after ingesting) saves it here; every later process loads it, its arrays (BM25, texts, metadata codes)
memory-mapped so several serving processes share their pages. A new version (any ingest that changed
something), another collection or an edited vocabulary file gets a folder of its own; older folders of the
collection are removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

FORMAT = 16
"""Bumped whenever what is saved changes, or how it is read from the guides (role headings, word splitting), so
an older folder is never read."""
DATA_FILE = "index.json"
"""Every saved index has one: a folder without it is not an index."""

log = logging.getLogger(__name__)
T = TypeVar("T")


def folder_for(base: Path, collection: str, key: object) -> Path:
    digest = hashlib.sha256(json.dumps([FORMAT, key], default=repr).encode()).hexdigest()[:16]
    return base / f"{collection}-{digest}"


def save(folder: Path, write: Callable[[Path], None]) -> None:
    """``write`` fills a temporary folder that is then renamed: a reader never sees half an index. Failing to save
    (a read-only disk) only costs the next process a rebuild."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
        write(staging)
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


def load(folder: Path, read: Callable[[Path], T]) -> T | None:
    """What ``read`` makes of the saved folder, or None when there is none or it cannot be read (it is then
    rebuilt)."""
    if not (folder / DATA_FILE).is_file():
        return None
    try:
        return read(folder)
    except (OSError, ValueError, KeyError) as exc:
        log.warning("removing an unreadable retrieval index in %s (it is rebuilt): %s", folder, exc)
        shutil.rmtree(folder, ignore_errors=True)
        return None
