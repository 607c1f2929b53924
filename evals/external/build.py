"""Build the external faithfulness-judge validation sets from public, human-annotated data.

Why: our own judge set is written by us, so it can share our blind spots. These files hold
answers whose hallucination labels come from human annotators of other projects, each with the
full grounding text, so the judge can be calibrated on one half and checked on the other.

Reads raw files straight out of the bare git snapshots under /work/.mirror (pinned commits below)
and writes evals/external/data/<name>-{calibration,heldout}.jsonl. Stdlib only; rerunning it gives
byte-identical files. See evals/external/SOURCES.md for what each label means and how it is mapped.

Usage: python -m evals.external.build
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from evals.external import LabelledAnswer

MIRROR = Path("/work/.mirror")
OUT = Path(__file__).resolve().parent / "data"
SEED = "careerchat-external-v1"
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Raw:
    """One raw file at a pinned commit of a public GitHub repository, read from its mirror."""

    repo: str
    commit: str
    path: str

    def text(self) -> str:
        """The file's bytes at that commit, decoded; the pin keeps the build reproducible."""
        git_dir = MIRROR / self.repo.replace("/", "+") / "repo"
        spec = f"{self.commit}:{self.path}"
        return subprocess.run(
            ["git", "-C", str(git_dir), "show", spec], check=True, capture_output=True, text=True
        ).stdout

    def jsonl(self) -> list[dict[str, Any]]:
        """Rows of a JSON-lines file."""
        return [json.loads(line) for line in self.text().splitlines() if line.strip()]


# RAGTruth (Niu et al., ACL 2024). The official dataset/*.jsonl files are over the mirror's size
# limit everywhere; FaithJudge (Vectara) ships RAGTruth QA and Summary sources with their original
# responses and human span labels (verified identical to the official rows, see SOURCES.md).
FAITHJUDGE = "vectara/FaithJudge"
FAITHJUDGE_COMMIT = "ca35eb45d0d32cffd5ddc2d6513c4e8342cb9f5d"
RAGTRUTH_QA = Raw(FAITHJUDGE, FAITHJUDGE_COMMIT, "eval_data/ragtruth_qa.jsonl")
RAGTRUTH_SUMMARY = Raw(FAITHJUDGE, FAITHJUDGE_COMMIT, "eval_data/ragtruth_summary.jsonl")
# FaithJudge drops RAGTruth's `split` field. This file is a seed-42 sample of the official test
# split joined from the official files (split field intact), so its source ids mark test sources.
RAGTRUTH_TEST_SAMPLE = Raw(
    "SriVarshini09/RAG-truth", "b282fddae1e524512c52a86b2b00f34cb6e7422c", "data/splits/test_balanced.jsonl"
)

# WiCE (Kamoi et al., EMNLP 2023): Wikipedia claims against the web articles they cite.
WICE_COMMIT = "ddeb6c183665e2a20c5f03c5aa07f03888b9870f"
WICE_CLAIMS = {
    "calibration": Raw("ryokamoi/wice", WICE_COMMIT, "data/entailment_retrieval/claim/dev.jsonl"),
    "heldout": Raw("ryokamoi/wice", WICE_COMMIT, "data/entailment_retrieval/claim/test.jsonl"),
}
WICE_TOKENS = {
    "calibration": Raw("ryokamoi/wice", WICE_COMMIT, "data/non_supported_tokens/dev.jsonl"),
    "heldout": Raw("ryokamoi/wice", WICE_COMMIT, "data/non_supported_tokens/test.jsonl"),
}

# Per-split caps (answers); RAGTruth caps are per task.
RAGTRUTH_CAPS = {"calibration": 300, "heldout": 200}
CAPS = {"calibration": 600, "heldout": 400}


Splits = dict[str, list[LabelledAnswer]]


def hash_split(key: str) -> str:
    """Deterministic ~50/50 split on a source-document key, so a document never lands in both halves."""
    return "heldout" if int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % 2 else "calibration"


def stratified_sample(rows: list[LabelledAnswer], n: int, seed: str) -> list[LabelledAnswer]:
    """At most n rows, drawn with a fixed seed so the hallucinated share of the pool is kept."""
    if len(rows) <= n:
        return sorted(rows, key=lambda r: r.id)
    rng = random.Random(seed)
    pos = sorted((r for r in rows if r.hallucinated), key=lambda r: r.id)
    neg = sorted((r for r in rows if not r.hallucinated), key=lambda r: r.id)
    k = round(n * len(pos) / len(rows))
    return sorted(rng.sample(pos, k) + rng.sample(neg, n - k), key=lambda r: r.id)


def unique(items: Iterable[str]) -> list[str]:
    """Drop empty and repeated strings, keeping first-seen order."""
    seen: dict[str, None] = {}
    for item in items:
        if item and item not in seen:
            seen[item] = None
    return list(seen)


def split_qa_passages(text: str) -> list[str]:
    """RAGTruth QA sources are one string of 'passage N:' blocks; return the blocks."""
    return [p.strip() for p in re.split(r"(?:^|\n)passage \d+:", text) if p.strip()]


def ragtruth() -> Splits:
    """RAGTruth QA + Summary: official test sources go to held-out, every other source to calibration."""
    test_sources = {str(r["source_id"]) for r in RAGTRUTH_TEST_SAMPLE.jsonl() if r["split"] == "test"}
    out: Splits = {"calibration": [], "heldout": []}
    for task, raw in (("qa", RAGTRUTH_QA), ("summary", RAGTRUTH_SUMMARY)):
        pools: Splits = {"calibration": [], "heldout": []}
        for source in raw.jsonl():
            sid = str(source["source_id"])
            info = source["source"]
            question = info["question"] if task == "qa" else None
            passages = split_qa_passages(info["passages"]) if task == "qa" else [info]
            for resp in source["responses"]:
                labels = sorted(resp["labels"], key=lambda lab: (lab["start"], lab["end"]))
                pools["heldout" if sid in test_sources else "calibration"].append(
                    LabelledAnswer(
                        id=f"ragtruth-{task}-{sid}-{resp['model']}",
                        dataset="ragtruth",
                        task=task,
                        question=question,
                        answer=resp["response"],
                        passages=passages,
                        hallucinated=bool(labels),
                        spans=unique(lab["text"] for lab in labels),
                    )
                )
        for split, pool in pools.items():
            out[split] += stratified_sample(pool, RAGTRUTH_CAPS[split], f"{SEED}-ragtruth-{task}-{split}")
    return out


def wice_articles(evidence: list[str]) -> list[str]:
    """WiCE evidence is the cited page(s) as sentences; each page starts with a '(meta data) TITLE:' line."""
    articles: list[list[str]] = []
    for sentence in evidence:
        if sentence.startswith("(meta data) TITLE:") or not articles:
            articles.append([])
        articles[-1].append(sentence)
    return ["\n".join(a) for a in articles]


def wice_token_spans(raw: Raw) -> dict[str, list[str]]:
    """Non-supported token runs (annotated on sub-claims) found verbatim in the original claim text."""
    runs: dict[str, list[list[str]]] = {}
    for row in raw.jsonl():
        claim_id = row["meta"]["id"].rsplit("-", 1)[0]
        run: list[str] = []
        for token, flagged in zip(row["claim_tokens"], row["non_supported_spans"], strict=True):
            if flagged:
                run.append(token)
            elif run:
                runs.setdefault(claim_id, []).append(run)
                run = []
        if run:
            runs.setdefault(claim_id, []).append(run)
    return {cid: [r"\s*".join(map(re.escape, r)) for r in rs] for cid, rs in runs.items()}  # patterns


def wice() -> Splits:
    """WiCE claims: official dev -> calibration, official test -> held-out (train is not in the mirror)."""
    out: Splits = {}
    for split, raw in WICE_CLAIMS.items():
        patterns = wice_token_spans(WICE_TOKENS[split])
        rows: list[LabelledAnswer] = []
        for row in raw.jsonl():
            claim = row["claim"]
            found = (re.search(p, claim) for p in patterns.get(row["meta"]["id"], []))
            rows.append(
                LabelledAnswer(
                    id=f"wice-{row['meta']['id']}",
                    dataset="wice",
                    task="claim",
                    question=None,
                    answer=claim,
                    passages=wice_articles(row["evidence"]),
                    hallucinated=row["label"] != "supported",
                    spans=unique(m.group(0) for m in found if m) if row["label"] != "supported" else [],
                )
            )
        out[split] = stratified_sample(rows, CAPS[split], f"{SEED}-wice-{split}")
    return out


BUILDERS: dict[str, Callable[[], Splits]] = {"ragtruth": ragtruth, "wice": wice}


def write(name: str, splits: Splits) -> None:
    """Write both halves, refuse oversized files and document overlap, and print the counts."""
    keys = {s: {tuple(r.passages) for r in rows} for s, rows in splits.items()}
    assert not keys["calibration"] & keys["heldout"], f"{name}: a source document is in both halves"
    for split, rows in splits.items():
        assert len({r.id for r in rows}) == len(rows), f"{name}: duplicate ids"
        path = OUT / f"{name}-{split}.jsonl"
        body = "".join(json.dumps(asdict(r), ensure_ascii=False) + "\n" for r in rows)
        assert len(body.encode("utf-8")) < MAX_BYTES, f"{path} is over 5 MB"
        path.write_text(body, encoding="utf-8")
        for task in sorted({r.task for r in rows}):
            part = [r for r in rows if r.task == task]
            bad = sum(r.hallucinated for r in part)
            print(f"{name:<10} {split:<11} {task:<8} n={len(part):<4} hallucinated={bad:<4} ({bad / len(part):.1%})")


def main() -> None:
    """Build every source."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        write(name, build())


if __name__ == "__main__":
    main()
