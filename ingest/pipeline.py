"""Incremental, idempotent ingestion: only new passages are embedded, stale ones are removed.

Order matters for crash safety: new chunks are written first (in small batches), metadata updates
next, stale chunks last. Chunk ids derive from content, so a run killed at any point is completed by
the next one with no duplicate and no orphan.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout
from tqdm import tqdm

from ingest.chunking import Chunker
from ingest.embedding import Embedder
from ingest.jobwords import job_words
from ingest.loaders import discover, load_file
from ingest.models import Chunk, Document, Skipped
from ingest.settings import IngestSettings
from ingest.store import ChunkStore


@dataclass
class IngestReport:
    documents: int = 0
    chunks: int = 0
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    gone: list[str] = field(default_factory=list)
    """Files the store still holds that are no longer on disk, ingested earlier from outside the paths given: kept
    (only ``--reset`` or ingesting their folder drops them), but the person is told, so that a deleted guide is
    never cited unknowingly."""

    def as_dict(self) -> dict:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        return data


@dataclass
class _Scope:
    """A path given to ingest: its documents replace whatever the store held under it."""

    root: Path
    is_dir: bool
    documents: list[Document] = field(default_factory=list)

    def covers(self, path: str) -> bool:
        return path.startswith(f"{self.root}/") if self.is_dir else path == str(self.root)


def _load_scopes(paths: Sequence[Path], settings: IngestSettings, report: IngestReport) -> list[_Scope]:
    scopes: list[_Scope] = []
    max_bytes = int(settings.max_file_mb * 2**20)
    for given in paths:
        if not given.exists():
            report.skipped.append(Skipped(str(given), "no such file or directory"))
            continue
        root = given.resolve()
        scope = _Scope(root, root.is_dir())
        for found in discover(given):
            if isinstance(found, Skipped):
                report.skipped.append(found)
                continue
            source = str(found.relative_to(given)) if scope.is_dir else found.name
            loaded = load_file(found, source, max_bytes, job_words(settings.vocabulary))
            if isinstance(loaded, Skipped):
                report.skipped.append(loaded)
                continue
            loaded.path = str(root / source) if scope.is_dir else str(root)
            scope.documents.append(loaded)
        if scope.is_dir and not scope.documents:
            report.skipped.append(Skipped(str(given), "folder has no documents that can be ingested"))
            continue
        scopes.append(scope)
    return scopes


def load_documents(paths: Sequence[Path], settings: IngestSettings) -> list[Document]:
    """The cleaned documents ingest would store, skipping what it would skip (benchmarks and baselines reuse it)."""
    return [doc for scope in _load_scopes(paths, settings, IngestReport()) for doc in scope.documents]


def _progress(total: int, enabled: bool) -> tqdm:
    return tqdm(total=total, desc="Embedding", unit="chunk", disable=not enabled, file=sys.stderr)


def ingest(
    paths: Sequence[Path],
    settings: IngestSettings,
    embedder: Embedder,
    *,
    reset: bool = False,
    only: bool = False,
    progress: bool | None = None,
    on_batch: Callable[[int, int], None] | None = None,
) -> IngestReport:
    """Bring the store in line with ``paths`` (with ``only``, drop every other file's passages: the store then
    holds these paths alone); ``on_batch(done, total)`` reports embedding progress."""
    started = time.perf_counter()
    report = IngestReport()
    scopes = _load_scopes(paths, settings, report)
    chunker = Chunker(embedder.count_tokens, embedder.max_tokens, settings.chunk_overlap_tokens)
    desired: dict[str, Chunk] = {}
    for scope in scopes:
        for doc in scope.documents:
            for chunk in chunker.chunk(doc):
                desired.setdefault(chunk.id, chunk)
    report.documents = sum(len(s.documents) for s in scopes)
    report.chunks = len(desired)
    if not scopes:
        report.seconds = time.perf_counter() - started
        return report

    settings.lock_path.parent.mkdir(parents=True, exist_ok=True)
    with _ingest_lock(settings):
        store = ChunkStore(settings, embedder)
        if reset:
            store.reset()
        store.collection(create=True)
        existing = {c.id: c.metadata for c in store.iter_chunks(include_documents=False)}

        # Shortest first: each batch holds passages of about one length, so the encoder pads little (1.3x here).
        new = sorted((c for id_, c in desired.items() if id_ not in existing), key=lambda c: len(c.embed_text))
        changed = [c for id_, c in desired.items() if id_ in existing and existing[id_] != c.metadata()]
        stale = [id_ for id_, meta in existing.items()
                 if id_ not in desired and (only or any(s.covers(str(meta.get("path", ""))) for s in scopes))]
        kept = {str(meta.get("path", "")) for id_, meta in existing.items() if id_ not in desired} - {
            str(existing[id_].get("path", "")) for id_ in stale}
        report.gone = sorted(path for path in kept if not Path(path).exists())

        embedder.expect(len(new))
        batch = settings.embed_batch_size * 2
        show = sys.stderr.isatty() if progress is None else progress
        with _progress(len(new), show) as bar:
            for i in range(0, len(new), batch):
                part = new[i : i + batch]
                vectors = embedder.embed_documents([c.embed_text for c in part])
                store.upsert([c.id for c in part], vectors, [c.text for c in part], [c.metadata() for c in part])
                bar.update(len(part))
                if on_batch:
                    on_batch(i + len(part), len(new))
        store.update_metadata([c.id for c in changed], [c.metadata() for c in changed])
        store.delete(stale)
        if new or changed or stale:
            store.bump_version()

    report.added, report.updated, report.deleted = len(new), len(changed), len(stale)
    report.unchanged = report.chunks - report.added - report.updated
    report.seconds = time.perf_counter() - started
    return report


class _ingest_lock:
    """Serialize ingests: a second one says why it waits instead of silently hanging."""

    def __init__(self, settings: IngestSettings) -> None:
        self.lock = FileLock(str(settings.lock_path))
        self.timeout = settings.lock_timeout

    def __enter__(self) -> None:
        try:
            self.lock.acquire(timeout=0)
        except Timeout:
            print("Another ingest is running; waiting for it to finish...", file=sys.stderr)
            try:
                self.lock.acquire(timeout=self.timeout)
            except Timeout:
                raise IngestBusyError(
                    f"Another ingest still holds {self.lock.lock_file} after {self.timeout:.0f}s; try again later."
                ) from None

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


class IngestBusyError(Exception):
    pass
