"""The faithfulness judge: citation markers as models write them, claims without meta sentences, numbers as
values, negation on the aligned sentence, one unsupported claim, and the `careerchat judge` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.citations import check, markers_match
from bot.markers import find, normalize
from bot.models import Passage
from evals.claims import extract, is_meta
from evals.external import load
from evals.judge import AlignedJudge, judge_answer
from evals.numbers import unsupported, values
from tests.conftest import run_cli


@pytest.mark.parametrize(("written", "cited"), [
    ("SREs are on call [1][2].", [1, 2]),
    ("SREs are on call [1, 2].", [1, 2]),
    ("SREs are on call [1-3].", [1, 2, 3]),
    ("SREs are on call [1–3].", [1, 2, 3]),
    ("SREs are on call【1】.", [1]),
    ("SREs are on call【1,3】.", [1, 3]),
    ("SREs are on call (Source 1).", [1]),
    ("SREs are on call (Sources 1 and 2).", [1, 2]),
    ("SREs are on call [Passage 2].", [2]),
    ("SREs are on call [Doc 4].", [4]),
])
def test_marker_styles_real_models_write(written, cited):
    assert find(written) == cited
    assert normalize(written).startswith("SREs are on call") and "Source" not in normalize(written)


def test_plain_parentheses_and_wide_ranges_are_not_citations():
    assert find("Steps: (1) learn Linux, (2) learn Python.") == []
    assert find("in 1990 [1990-2020]") == [1990, 2020]


def test_citation_check_keeps_every_marker_style():
    passages = [Passage(id="a-1", text="SREs are on call for production systems.", source="a.md", section="SRE"),
                Passage(id="a-2", text="Backend engineers build APIs and services.", source="a.md",
                        section="Backend")]
    checked = check("SREs are on call for production systems【1】. Backend engineers build APIs (Source 2).",
                    passages)
    assert [c.n for c in checked.citations] == [1, 2] and not checked.dropped
    assert checked.text.count("[1]") == 1 and checked.text.count("[2]") == 1


@pytest.mark.parametrize("sentence", [
    "Based on the provided passages, here is the answer:",
    "Sure! Here are the key points:",
    "I hope this helps!",
    "The passages do not mention the salary of a data engineer.",
    "There is no information about remote work in the given context.",
])
def test_meta_and_framing_sentences_are_not_claims(sentence):
    assert is_meta(sentence)
    assert extract(sentence) == []


def test_claims_drop_lead_ins_list_numbers_and_headings():
    answer = ("## Summary\nBased on the passages, here is the answer:\n"
              "1. According to passage 1, SREs write runbooks [1].\n2. The article states that he was 30 (Source 2).")
    claims = extract(answer)
    assert [(c.text, c.markers) for c in claims] == [("SREs write runbooks.", (1,)), ("he was 30.", (2,))]


def test_numbers_are_compared_as_values():
    assert unsupported("The team has seven members.", "There are 7 members.") == set()
    assert unsupported("It cost $1.5 million.", "It cost 1,500,000 dollars.") == set()
    assert unsupported("Twenty-five people came.", "25 people came.") == set()
    assert unsupported("It has 8 members.", "There are 7 members.") == {8.0}
    # List numbering and the answer's own length are not facts about the world.
    assert values("1. Learn Linux.\n2. Learn Go.") == set()
    assert values("Here is an 84 words summary.") == set()


@pytest.fixture(scope="module")
def judge(real_embedder) -> AlignedJudge:
    return AlignedJudge(real_embedder)


LONG_SOURCE = [
    "Site reliability engineers keep production systems running and are often on call at night. "
    "They write runbooks and automate toil. Backend engineers are not usually on call. "
    "Backend engineers build APIs, design databases and review code. They rarely talk to customers. "
    "Many teams expect a backend engineer to own a service end to end."
]


def test_quoted_answer_is_faithful(judge):
    verdict = judge_answer(judge, "Based on the passages, here is the answer: SREs are often on call at night [1]. "
                           "Backend engineers build APIs, design databases and review code [1].", LONG_SOURCE)
    assert verdict.faithful and len(verdict.claims) == 2 and all(c.supported_by == (1,) for c in verdict.claims)


def test_negation_is_checked_on_the_aligned_sentence(judge):
    """The source has negations elsewhere ("not usually on call", "rarely talk"): a faithful claim is not flagged
    for them (the old judge compared the most-overlapping sentence of a long source and flagged such answers), and a
    flipped claim is measured against the sentence it copies. Whether a flip alone fails a claim is the trained
    model's call: on real answers most negation mismatches are paraphrases (see README)."""
    kept, flipped = extract("Site reliability engineers write runbooks and automate toil [1]. "
                            "Site reliability engineers do not write runbooks and never automate toil [1].")
    features = judge.features([kept, flipped], LONG_SOURCE)
    assert features[0].negation_mismatch == 0 and features[0].contradiction < 0.9
    assert features[1].negation_mismatch == 1 and features[1].contradiction >= 0.9
    verdicts = judge.judge_claims([kept, flipped], LONG_SOURCE)
    assert verdicts[0].supported and "runbooks" in verdicts[1].passage


def test_one_invented_claim_fails_an_otherwise_faithful_answer(judge):
    answer = ("SREs are often on call at night [1]. They write runbooks and automate toil [1]. "
              "Backend engineers build APIs, design databases and review code [1]. "
              "Backend engineers must hold a pilot licence and earn exactly $912,000 a year [1].")
    verdict = judge_answer(judge, answer, LONG_SOURCE)
    assert not verdict.faithful
    assert [c.supported for c in verdict.claims] == [True, True, True, False]
    assert "912000" in verdict.claims[-1].reason


def test_judge_command_reads_and_writes_jsonl(tmp_path):
    requests = tmp_path / "answers.jsonl"
    requests.write_text("\n".join(json.dumps(r) for r in [
        {"id": "good", "answer": "Backend engineers build APIs [1].", "passages": LONG_SOURCE},
        {"id": "bad", "answer": "Backend engineers earn $912,000 a year.", "passages": LONG_SOURCE},
    ]) + "\n", encoding="utf-8")
    done = run_cli("judge", str(requests))
    assert done.returncode == 0, done.stderr
    verdicts = {v["id"]: v for v in map(json.loads, done.stdout.splitlines())}
    assert verdicts["good"]["faithful"] and not verdicts["bad"]["faithful"]
    assert set(verdicts["bad"]["claims"][0]) >= {"text", "supported", "score", "reason"}
    requests.write_text('{"id": "x", "answer": "no passages"}\n', encoding="utf-8")
    bad = run_cli("judge", str(requests))
    assert bad.returncode == 2 and "answers.jsonl:1" in bad.stderr and "passages" in bad.stderr
    assert "Traceback" not in bad.stderr
    requests.write_text("\n", encoding="utf-8")
    empty = run_cli("judge", str(requests))
    assert empty.returncode == 2 and "no answers to judge" in empty.stderr


def test_heldout_data_is_public_human_labelled_and_disjoint():
    calibration, heldout = load("calibration"), load("heldout")
    assert {a.dataset for a in heldout} >= {"ragtruth", "wice"} and len(heldout) >= 600
    for task in ("qa", "summary"):
        assert sum(a.task == task for a in heldout) >= 200
    sources = {p for a in calibration for p in a.passages}
    assert not any(set(a.passages) <= sources for a in heldout if a.dataset == "ragtruth")
    assert all(s in a.answer for a in heldout for s in a.spans)


def test_eval_judge_command_reports_every_metric(tmp_path):
    out = tmp_path / "judge.json"
    done = run_cli("eval", "judge", "--limit", "12", "--out", str(out))
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text())
    group = next(iter(report["groups"].values()))
    assert {"precision", "recall", "f1", "balanced_accuracy", "false_alarm_rate", "auroc"} <= set(group)
    assert "s per answer" in done.stdout


RECORDED = Path(__file__).parent / "fixtures" / "llm" / "qwen2.5-coder-1.5b.jsonl"
"""Raw answers of Qwen2.5-Coder-1.5B-Instruct (the packaged GGUF behind llama.cpp's server) to the smoke cases,
recorded by `python -m evals.smoke.record` before careerchat's citation check."""


def test_recorded_real_model_outputs_are_parsed_checked_and_judged(judge):
    rows = {r["id"]: r for r in map(json.loads, RECORDED.read_text(encoding="utf-8").splitlines())}
    assert len(rows) >= 5
    # As this model writes them: a cluster on its own line after the paragraph, or none at all.
    assert find(rows["atlas-analyst-day"]["raw"]) == [1, 2, 3]
    assert find(rows["fu-de-analyst"]["raw"]) == [1]
    for row in rows.values():
        passages = [Passage(id=f"p{i}", text=t, source="recorded", section="") for i, t in enumerate(row["passages"])]
        checked = check(row["raw"], passages)
        assert markers_match(checked.text, {c.n for c in checked.citations})
        claims = extract(row["raw"])
        assert not any("do not cover" in c.text for c in claims), "a sentence about the guides is not a claim"
        verdict = judge_answer(judge, row["raw"], row["passages"])
        assert len(verdict.claims) == len(claims) and all(c.passage for c in verdict.claims)


def test_heldout_targets_gate_eval_judge():
    """The #14 targets live in thresholds.toml: a QA regression fails, and so does a summary one now it is met."""
    from evals.external.heldout import HeldoutReport, gate

    groups = {"ragtruth/qa": {"f1": 0.50, "false_alarm_rate": 0.10},
              "ragtruth/summary": {"balanced_accuracy": 0.60}, "wice/claim": {"f1": 0.1}}
    failing, still_open, _ = gate(HeldoutReport("aligned", groups, 0.3, 4.0, 0.7))
    assert any(line.startswith("heldout ragtruth/qa f1 = 0.500") for line in failing)
    assert any(line.startswith("heldout seconds_per_long_answer = 0.700") for line in failing)
    assert any(line.startswith("heldout ragtruth/summary balanced_accuracy = 0.600") for line in failing)
    assert still_open == []


def test_a_line_label_and_an_unmarked_run_in_sentence_keep_their_passage():
    """"- DBA: Analytical skills. DBAs monitor performance. [2]": the label stays with the line, and the unmarked
    run-in sentence is grounded on the passage the sentence it leads into cites, not on whichever passage says it."""
    elsewhere = Passage(id="x", text="Analytical skills matter in every job.", source="g", section="Skills")
    own = Passage(id="y", text="Analytical skills. DBAs monitor performance.", source="g", section="Qualities")
    checked = check("- DBA: Analytical skills. DBAs monitor performance. [2]", [elsewhere, own])
    assert checked.text == "- DBA: Analytical skills. DBAs monitor performance. [1]", \
        "one marker after both: the first shares it, as the answer wrote it, not a marker mid-line"
    assert [c.id for c in checked.citations] == ["y"]
    separate = check("- Analytical skills matter in every job. [1] DBAs monitor performance. [2]", [elsewhere, own])
    assert separate.text == "- Analytical skills matter in every job. [1] DBAs monitor performance. [2]"
