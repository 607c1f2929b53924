"""SIGKILL `careerchat ingest` at 20 moments spread over its whole run; every rerun ends with a clean ingest's chunks.

The killed ingest is an update, not a first load: every document was edited, one removed and one renamed, so
a kill can land while the process starts, while it embeds and adds new chunks, while it rewrites the
metadata of shifted ones, or while it deletes stale ones.
"""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from ingest.pipeline import ingest
from ingest.settings import Settings
from ingest.store import ChunkStore

from ..conftest import CORPUS, VENV_BIN

pytestmark = pytest.mark.slow
MOMENTS = 20


def write_version_a(folder: Path) -> None:
    shutil.copytree(CORPUS, folder)


def write_version_b(folder: Path) -> None:
    """Edited in place: text inserted at the top (shifted offsets), passages reworded, a file renamed, one gone."""
    files = sorted(folder.iterdir())
    first, second, last = files[0], files[1], files[-1]
    first.write_text("Revised edition, with a new introduction.\n\n" + first.read_text())
    second.write_text(second.read_text().replace("Role:", "Role (revised):"))
    last.rename(folder / f"renamed-{last.name}")
    for extra in files[2:-1]:
        extra.unlink()


def contents(settings: Settings, embedder) -> dict:
    return {c.id: (c.text, c.metadata) for c in ChunkStore(settings, embedder).iter_chunks()}


def launch(store: Path, corpus: Path) -> subprocess.Popen:
    env = {**os.environ, "CAREERCHAT_CHROMA_PATH": str(store), "CAREERCHAT_CORPUS_DIR": str(corpus),
           "CAREERCHAT_EMBED_BATCH_SIZE": "4"}
    return subprocess.Popen([str(VENV_BIN / "careerchat"), "ingest", "--json"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_sigkill_at_twenty_moments_then_rerun_equals_clean_ingest(tmp_path: Path, real_embedder):
    corpus = tmp_path / "corpus"
    write_version_a(corpus)
    template = Settings(chroma_path=tmp_path / "version-a" / "chroma", corpus_dir=corpus)
    ingest([corpus], template, real_embedder)
    before = contents(template, real_embedder)
    write_version_b(corpus)
    clean = Settings(chroma_path=tmp_path / "clean" / "chroma", corpus_dir=corpus)
    ingest([corpus], clean, real_embedder)
    expected = contents(clean, real_embedder)
    assert set(expected) - set(before) and set(before) - set(expected), "the update adds and deletes chunks"

    def fresh_copy(name: str) -> Settings:
        shutil.copytree(template.chroma_path.parent, tmp_path / name)
        return Settings(chroma_path=tmp_path / name / "chroma", corpus_dir=corpus)

    timing = fresh_copy("timing")
    started = time.monotonic()
    assert launch(timing.chroma_path, corpus).wait(timeout=300) == 0
    lifetime = time.monotonic() - started
    assert contents(timing, real_embedder) == expected

    outcomes = []
    for moment in range(MOMENTS):
        target = fresh_copy(f"kill-{moment:02d}")
        delay = lifetime * (moment + 0.5) / MOMENTS
        proc = launch(target.chroma_path, corpus)
        time.sleep(delay)
        running = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        at_kill = contents(target, real_embedder)
        outcomes.append((round(delay, 2), running, at_kill == before, at_kill == expected))
        report = ingest([corpus], target, real_embedder)
        assert contents(target, real_embedder) == expected, f"kill at {delay:.2f}s left a different chunk set"
        assert report.chunks == len(expected)

    partial = [o for o in outcomes if o[1] and not o[2] and not o[3]]
    assert sum(o[1] for o in outcomes) >= MOMENTS - 2, outcomes
    assert len(partial) >= 3, f"too few kills landed mid-update to mean anything: {outcomes}"
