"""The eval suite: metric functions by hand, the judge's validation, a full run, corrupted answers, the gate."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from bot.chat import Engine
from bot.roles import ROLES
from evals.gate import breaches, compare
from evals.golden import TAGS, GoldenSetError, load_cases, resolve_evidence
from evals.judge import LexicalJudge
from evals.judge_validation import load_pairs, validate
from evals.metrics import context_precision, key_point_found, percentiles, refusal_scores, retrieval_scores
from evals.report import write_all
from evals.runner import run_careerchat
from evals.suite import run_eval

from .conftest import cli_env, run_cli


def test_retrieval_metrics_match_hand_computed_values():
    rankings = {"a": ["x has E1", "nothing", "E2 here"], "b": ["zz", "zz2"], "c": ["no", "E4 at rank two"]}
    evidence = {"a": ["E1", "E2"], "b": ["E3"], "c": ["E4"]}
    scores = retrieval_scores(rankings, evidence, k=3)
    # a: both found (rank 1, 3); b: none; c: one at rank 2.
    assert scores["hit_rate@3"] == pytest.approx(2 / 3)
    assert scores["recall@3"] == pytest.approx(2 / 3)
    assert scores["mrr"] == pytest.approx((1 + 0 + 0.5) / 3)
    ndcg_a = (1 + 1 / 2) / (1 + 1 / 1.5849625)  # DCG 1/log2(2) + 1/log2(4); ideal 1/log2(2) + 1/log2(3)
    ndcg_c = 1 / 1.5849625
    assert scores["ndcg@3"] == pytest.approx((ndcg_a + ndcg_c) / 3, rel=1e-4)


def test_overlapping_chunks_do_not_double_count_evidence():
    scores = retrieval_scores({"a": ["E1 once", "E1 again (overlap)"]}, {"a": ["E1"]}, k=2)
    assert scores["recall@2"] == 1.0 and scores["ndcg@2"] == 1.0


def test_context_precision_refusal_scores_key_points_and_percentiles():
    assert context_precision([False, True, False, True]) == pytest.approx((1 / 2 + 2 / 4) / 2)
    assert context_precision([True, True]) == 1.0 and context_precision([False]) == 0.0
    # expected refusals: 3; refused: 2 of them plus one false refusal.
    scores = refusal_scores([True, True, True, False, False], [True, True, False, True, False])
    assert scores == pytest.approx({"refusal_precision": 2 / 3, "refusal_recall": 2 / 3, "refusal_f1": 2 / 3})
    assert key_point_found("Figma sprints", "They run Figma sprints [1].")
    assert key_point_found("test prototypes", "testing the prototype") and not key_point_found("log bugs", "bugs")
    assert percentiles([10, 20, 30, 40]) == {"p50": 25.0, "p95": 38.5}


def test_golden_set_is_big_varied_and_resolves_on_the_store(store_settings, real_embedder):
    cases = load_cases()
    assert len(cases) >= 80
    assert {t for c in cases for t in c.tags} == set(TAGS)
    assert any(len(c.turns) == 3 for c in cases) and sum(c.expect == "refuse" for c in cases) >= 10
    assert all(c.key_points for c in cases if c.expect == "answer")
    sources = set()
    chunks = {c.id: (c.text, c.metadata["source"]) for c in Engine(store_settings, real_embedder).store.iter_chunks()}
    resolved = resolve_evidence(cases, {cid: text for cid, (text, _) in chunks.items()})
    for ids in resolved.values():
        sources |= {chunks[i][1] for i in ids}
    assert len(sources) == 3, "facts from all three documents"


def test_golden_set_errors_are_clear(tmp_path):
    bad = tmp_path / "g.jsonl"
    bad.write_text('{"id": "x", "turns": ["q"], "expect": "answer", "evidence": [], "tags": ["fact"]}\n')
    with pytest.raises(GoldenSetError, match="g.jsonl:1: .*evidence"):
        load_cases(bad)
    with pytest.raises(GoldenSetError, match="not found in the store"):
        resolve_evidence(load_cases()[:1], {"c1": "unrelated text"})


def test_offline_judge_passes_its_validation(store_settings, real_embedder):
    chunks = [(c.text, c.metadata["section"]) for c in Engine(store_settings, real_embedder).store.iter_chunks()]
    pairs = load_pairs(chunks)
    kinds = {p["kind"] for p in pairs if not p["supported"]}
    assert len(pairs) >= 60 and sum(not p["supported"] for p in pairs) >= 30
    assert {"swap_role", "negation", "invented_number", "invented_certification", "wrong_document"} <= kinds
    report = validate(LexicalJudge(real_embedder), pairs)
    assert report.catch_rate >= 0.90 and report.false_alarm_rate <= 0.10, report.mistakes
    # Every "unsupported" verdict explains itself.
    assert all(m["reason"] for m in report.mistakes if m["expected"])


@pytest.fixture(scope="module")
def eval_run(store_settings, real_embedder, tmp_path_factory):
    engine = Engine(store_settings, real_embedder)
    report = run_eval(engine)
    out = tmp_path_factory.mktemp("eval")
    write_all(report, out)
    return engine, report, out


def test_careerchat_meets_the_thresholds_and_writes_all_reports(eval_run):
    _, report, out = eval_run
    assert report["breaches"] == [], report["breaches"]
    summary = report["summary"]
    assert summary["cases"] >= 80 and summary["faithfulness"] >= 0.95 and summary["refusal_f1"] > 0.8
    assert {"hit_rate@5", "recall@5", "mrr", "ndcg@5", "context_precision", "citation_precision",
            "citation_recall", "key_point_recall", "latency_p50_ms", "latency_p95_ms"} <= set(summary)
    junit = ET.parse(out / "junit.xml").getroot()
    testcases = junit.findall(".//testcase")
    assert len(testcases) == summary["cases"]
    assert len(junit.findall(".//testcase/failure")) == summary["cases"] - summary["passed"]
    html = (out / "eval.html").read_text()
    assert "<svg" in html and not re.search(r"""(src|href)=["']?https?:""", html), "self-contained"
    markdown = (out / "eval.md").read_text()
    failing = [c for c in report["cases"] if not c["passed"]]
    assert all(f"### {c['id']}" in markdown for c in failing)


def _corrupt(answer: dict, n: int) -> dict:
    """Swap role names and add an invented, cited fact: what a hallucinating bot would produce."""
    text = answer["answer"]
    for role in ROLES:
        text = role.pattern.sub(ROLES[(ROLES.index(role) + 3) % len(ROLES)].label, text)
    if answer["citations"] and not answer["refused"]:
        text += f"\nMost of them earn {90000 + n} dollars and need a CISSP certification. [1]"
    return answer | {"answer": text}


def test_corrupted_answers_score_clearly_lower_and_breach(eval_run, store_settings, tmp_path):
    engine, report, _ = eval_run
    honest = tmp_path / "honest.jsonl"
    corrupted = tmp_path / "corrupted.jsonl"
    honest.write_text("".join(json.dumps({"id": p.case.id, **p.answer, "retrieved": p.retrieved}) + "\n"
                              for p in run_careerchat(engine, load_cases())))
    corrupted.write_text("".join(json.dumps({"id": c["id"], **_corrupt(c["answer"], n)}) + "\n"
                                 for n, c in enumerate(report["cases"])))
    env = cli_env(store_settings)
    same = run_cli("eval", "--answers", str(honest), "--out", str(tmp_path / "honest"), env=env)
    assert same.returncode == 0, same.stdout + same.stderr
    again = json.loads((tmp_path / "honest" / "eval.json").read_text())["summary"]
    for metric in ("faithfulness", "hit_rate@5", "mrr", "evidence_hit_rate", "refusal_f1"):
        assert again[metric] == pytest.approx(report["summary"][metric])

    bad = run_cli("eval", "--answers", str(corrupted), "--out", str(tmp_path / "bad"),
                  "--baseline", str(tmp_path / "honest" / "eval.json"), env=env)
    assert bad.returncode == 1 and "BREACHED faithfulness" in bad.stderr and "Traceback" not in bad.stderr
    worse = json.loads((tmp_path / "bad" / "eval.json").read_text())
    assert worse["summary"]["faithfulness"] < again["faithfulness"] - 0.3
    assert worse["summary"]["citation_precision"] < again["citation_precision"] - 0.3
    assert worse["baseline"]["newly_failing"] and "vs baseline" in bad.stdout
    assert "Unsupported sentence" in (tmp_path / "bad" / "eval.md").read_text()


def test_breached_threshold_exits_1_and_bad_inputs_exit_2(store_settings, tmp_path):
    strict = tmp_path / "strict.toml"
    strict.write_text("[min]\npass_rate = 1.01\n")
    env = cli_env(store_settings)
    result = run_cli("eval", "--thresholds", str(strict), "--out", str(tmp_path / "o"), env=env)
    assert result.returncode == 1 and "BREACHED pass_rate" in result.stderr
    assert (tmp_path / "o" / "eval.json").exists(), "the report is written even when the gate fails"
    (tmp_path / "answers.jsonl").write_text('{"id": "nope", "answer": "x"}\n')
    missing = run_cli("eval", "--answers", str(tmp_path / "answers.jsonl"), env=env)
    assert missing.returncode == 2 and "unknown case id 'nope'" in missing.stderr
    no_llm = run_cli("eval", "--judge", "llm", env=env | {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
    assert no_llm.returncode == 2 and "No OpenAI-compatible endpoint" in no_llm.stderr


def test_gate_and_baseline_functions():
    assert breaches({"a": 0.5, "b": 3}, {"min": {"a": 0.6}, "max": {"b": 2}}) == [
        "a = 0.500, below the minimum 0.6", "b = 3.000, above the maximum 2"]
    assert "no such metric" in breaches({}, {"min": {"x": 1}, "max": {}})[0]
    old = {"summary": {"f": 0.9}, "cases": [{"id": "a", "passed": True}, {"id": "b", "passed": False}]}
    new = {"summary": {"f": 0.8}, "cases": [{"id": "a", "passed": False}, {"id": "b", "passed": True}]}
    diff = compare(new, old)
    assert diff["deltas"]["f"]["delta"] == pytest.approx(-0.1)
    assert diff["newly_failing"] == ["a"] and diff["newly_passing"] == ["b"]


def test_llm_judge_gives_a_second_opinion_over_http(eval_run, fake_llm, tmp_path):
    engine, report, _ = eval_run
    handler, url = fake_llm
    settings = engine.settings.model_copy(update={"openai_base_url": url, "llm_timeout": 5.0, "llm_retries": 0})
    answers = tmp_path / "a.jsonl"
    answers.write_text("".join(json.dumps({"id": c["id"], **c["answer"]}) + "\n" for c in report["cases"]))
    second = run_eval(Engine(settings, engine.embedder), answers=answers, judge="llm")
    assert any(r["messages"][0]["content"].startswith("You check answers") for r in handler.requests)
    assert 0 < second["summary"]["llm_faithfulness"] <= 1 and "judge_agreement" in second["summary"]
