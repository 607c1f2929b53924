"""Which cases run against which corpus: suites (a corpus) and splits (dev, test) found by file name.

``evals/cases/<suite>-<split>[-more].jsonl``: the ``seed`` suite runs on the configured corpus; any other suite
also ingests ``evals/corpora/<suite>/`` next to the seed guides, into its own store, so an adviser adds a
suite by dropping a folder of guides and a case file, with no code change. Tune on dev; test stays frozen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.settings import BotSettings

CASES_DIR = Path(__file__).with_name("cases")
CORPORA_DIR = Path(__file__).with_name("corpora")
SEED = "seed"
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class Split:
    suite: str
    split: str
    files: tuple[Path, ...]
    corpora: tuple[Path, ...]
    """Folders ingested together; empty means the configured store as it is."""

    @property
    def name(self) -> str:
        return f"{self.suite}/{self.split}"


def discover(cases_dir: Path = CASES_DIR, corpora_dir: Path = CORPORA_DIR, split: str = "all",
             extra_corpus: Path | None = None) -> list[Split]:
    """Every (suite, split) with case files, in a stable order: seed first, dev before test."""
    found: dict[tuple[str, str], list[Path]] = {}
    for path in sorted(cases_dir.glob("*.jsonl")):
        parts = path.stem.split("-")
        for n in range(1, len(parts)):
            if parts[n] in SPLITS:
                found.setdefault(("-".join(parts[:n]), parts[n]), []).append(path)
                break
    suites = sorted({s for s, _ in found}, key=lambda s: (s != SEED, s))
    if extra_corpus is not None:
        suites = [s for s in suites if s == extra_corpus.name]
    result = []
    for suite in suites:
        corpora = () if suite == SEED else (extra_corpus or corpora_dir / suite,)
        for name in SPLITS:
            if (suite, name) in found and split in ("all", name):
                result.append(Split(suite, name, tuple(found[(suite, name)]), corpora))
    return result


def suite_settings(settings: BotSettings, corpora: tuple[Path, ...]) -> BotSettings:
    """A store of its own for a suite's corpus plus the seed guides, next to the main store."""
    name = "-".join(p.name for p in corpora)
    root = settings.chroma_path.parent / "eval" / name
    return settings.model_copy(update={"chroma_path": root / "chroma", "chroma_url": None})
