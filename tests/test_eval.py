"""The eval suite: metric functions by hand, the judge's validation, a full run, corrupted answers, the gate."""

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bot.chat import Engine
from evals.gate import breaches, compare, load_report, load_thresholds, split_open
from evals.golden import TAGS, GoldenSetError, evidence_texts, load_cases, resolve_evidence
from evals.judge import AlignedJudge
from evals.judge_validation import load_pairs, validate
from evals.metrics import context_precision, key_point_found, percentiles, refusal_scores, retrieval_scores
from evals.records import CaseRecord, EvalReport, ScoredAnswer
from evals.report import write_all
from evals.runner import run_careerchat
from evals.splits import CASES_DIR, SEED, Split, discover, suite_settings
from evals.suite import run_eval, split_engine

from .conftest import cli_env, run_cli

DEV = CASES_DIR / "seed-dev.jsonl"
ADVISER_FIXTURES = Path(__file__).parent / "fixtures" / "adviser"
SEED_DEV = [s for s in discover(split="dev") if s.suite == SEED]


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
    assert key_point_found("3-5 repos", "3\u20135 repos with tests") and key_point_found("full-stack", "full\u2011stack")
    assert not key_point_found("3-5 repos", "3 repos, 5 demos")
    assert percentiles([10, 20, 30, 40]) == {"p50": 25.0, "p95": 38.5}


def test_splits_are_big_varied_and_resolve_on_their_stores(store_settings, real_embedder):
    splits = {s.name: s for s in discover()}
    assert {"seed/dev", "seed/test", "adviser/dev", "adviser/test"} <= set(splits)
    cases = {name: [c for path in s.files for c in load_cases(path)] for name, s in splits.items()}
    assert len(cases["seed/test"]) >= 60 and len(cases["adviser/test"]) >= 30
    assert set(TAGS) - {"pay", "feedback"} <= {t for c in cases["seed/test"] for t in c.tags}, "feedback: exported"
    assert any(len(c.turns) >= 2 for c in cases["adviser/test"]), "follow-ups on the second corpus"
    ids = [c.id for group in cases.values() for c in group]
    assert len(ids) == len(set(ids)), "no case is in two splits"
    dev_questions = {c.turns[-1] for name in ("seed/dev", "adviser/dev") for c in cases[name]}
    assert not dev_questions & {c.turns[-1] for name in ("seed/test", "adviser/test") for c in cases[name]}
    engine = Engine(store_settings, real_embedder)
    for name in ("seed/dev", "seed/test"):
        resolve_evidence(cases[name], evidence_texts(engine.retriever.index()))
    adviser = split_engine(engine, splits["adviser/test"])
    assert adviser.settings.chroma_path == suite_settings(store_settings, splits["adviser/test"].corpora).chroma_path
    sources = set()
    chunks = evidence_texts(adviser.retriever.index())
    for chunk_ids in resolve_evidence(cases["adviser/test"], chunks).values():
        sources |= {adviser.retriever.index().metas[adviser.retriever.index().position[i]]["source"] for i in chunk_ids}
    assert len(sources) >= 4, "facts from the adviser guides and the seed guides"


def test_a_suite_store_holds_its_own_folder_s_guides_only(store_settings, real_embedder, tmp_path):
    """`--corpus` with another folder of the same name must not score on the guides the last one left behind."""
    engine = Engine(store_settings, real_embedder)
    for n, guide in enumerate(("niche-tech-roles.md", "creative-and-lead-roles.md")):
        folder = tmp_path / str(n) / "mine"
        folder.mkdir(parents=True)
        shutil.copy(ADVISER_FIXTURES / guide, folder)
        suite = split_engine(engine, Split("mine", "dev", (), (folder,)))
    sources = {meta["source"] for meta in suite.retriever.index().metas}
    assert "creative-and-lead-roles.md" in sources and "niche-tech-roles.md" not in sources


def test_golden_set_errors_are_clear(tmp_path):
    bad = tmp_path / "g.jsonl"
    bad.write_text('{"id": "x", "turns": ["q"], "expect": "answer", "evidence": [], "tags": ["fact"]}\n')
    with pytest.raises(GoldenSetError, match="g.jsonl:1: .*evidence"):
        load_cases(bad)
    with pytest.raises(GoldenSetError, match="not found in the store"):
        resolve_evidence(load_cases(DEV)[:1], {"c1": "unrelated text"})


def test_offline_judge_regression_set(store_settings, real_embedder):
    """The 66 pairs made here are a regression check: perturbations real answers rarely contain. The judge is
    trained for real answers, so it passes their faithful pairs and names a reason for every flag; catching 90%
    of the perturbations is an open target of #14 (evals/thresholds.toml [open])."""
    engine = Engine(store_settings, real_embedder)
    chunks = [(c.text, c.metadata["section"]) for c in engine.store.iter_chunks()]
    pairs = load_pairs(chunks)
    kinds = {p.kind for p in pairs if not p.supported}
    assert len(pairs) >= 60 and sum(not p.supported for p in pairs) >= 30
    assert {"swap_role", "negation", "invented_number", "invented_certification", "wrong_document"} <= kinds
    report = validate(AlignedJudge(real_embedder), pairs)
    assert report.false_alarm_rate <= 0.10, report.mistakes
    assert report.by_kind["verbatim"] == 1.0 and report.by_kind["paraphrase"] == 1.0
    assert report.catch_rate > 0
    assert all(m.reason for m in report.mistakes if m.expected)


@pytest.fixture(scope="module")
def eval_run(store_settings, real_embedder, tmp_path_factory):
    engine = Engine(store_settings, real_embedder)
    report = run_eval(engine, splits=SEED_DEV)
    out = tmp_path_factory.mktemp("eval")
    write_all(report, out)
    return engine, report, out


def test_careerchat_meets_the_dev_thresholds_and_writes_all_reports(eval_run):
    _, report, out = eval_run
    assert report.breaches == [], report.breaches
    summary = report.summary
    assert summary["cases"] >= 150 and summary["faithfulness"] >= 0.95 and summary["refusal_f1"] > 0.8
    assert summary["role_attribution"] == 1.0 and set(report.summary_by_split) == {"seed/dev"}
    assert {"hit_rate@5", "recall@5", "mrr", "ndcg@5", "context_precision", "citation_precision",
            "citation_recall", "key_point_recall", "latency_p50_ms", "latency_p95_ms"} <= set(summary)
    junit = ET.parse(out / "junit.xml").getroot()
    testcases = junit.findall(".//testcase")
    assert len(testcases) == summary["cases"]
    assert len(junit.findall(".//testcase/failure")) == summary["cases"] - summary["passed"]
    html = (out / "eval.html").read_text()
    assert "<svg" in html and not re.search(r"""(src|href)=["']?https?:""", html), "self-contained"
    markdown = (out / "eval.md").read_text()
    failing = [c for c in report.cases if not c.passed]
    assert all(f"### {c.id}" in markdown for c in failing)
    assert "## Dev and test side by side" in markdown and "| seed/dev |" in markdown


OTHER_ROLES = ("data scientist", "product manager", "security engineer", "mobile engineer", "UX researcher")


def _corrupt(answer: dict, n: int, catalog) -> dict:
    """Put another role's name into every sentence and add an invented, cited fact: what a hallucinating bot
    would produce."""
    lines = []
    for k, line in enumerate(answer["answer"].split("\n")):
        other = OTHER_ROLES[(n + k) % len(OTHER_ROLES)]
        named = catalog.mentions(line)
        if named:
            line = line.replace(named[0].label, other)
        elif line.startswith("- "):
            line = f"- As a {other}: {line[2:]}"
        lines.append(line)
    text = "\n".join(lines)
    if answer["citations"] and not answer["refused"]:
        text += f"\nMost of them earn {90000 + n} dollars and need a CISSP certification. [1]"
    return answer | {"answer": text}


def test_corrupted_answers_score_clearly_lower_and_breach(eval_run, store_settings, tmp_path):
    engine, report, _ = eval_run
    honest = tmp_path / "honest.jsonl"
    corrupted = tmp_path / "corrupted.jsonl"
    honest.write_text("".join(json.dumps({"id": p.case.id, **p.answer.model_dump(), "retrieved": p.retrieved}) + "\n"
                              for p in run_careerchat(engine, load_cases(DEV))))
    dev_ids = {c.id for c in load_cases(DEV)}
    catalog = engine.retriever.index().catalog
    corrupted.write_text("".join(json.dumps({"id": c.id, **_corrupt(c.answer.model_dump(), n, catalog)}) + "\n"
                                 for n, c in enumerate(report.cases) if c.id in dev_ids))
    env = cli_env(store_settings)
    same = run_cli("eval", "--answers", str(honest), "--golden", str(DEV), "--out", str(tmp_path / "honest"), env=env)
    assert same.returncode == 0, same.stdout + same.stderr
    again = json.loads((tmp_path / "honest" / "eval.json").read_text())["summary"]
    in_process = run_eval(engine, golden=DEV).summary
    for metric in ("faithfulness", "hit_rate@5", "mrr", "evidence_hit_rate", "refusal_f1"):
        assert again[metric] == pytest.approx(in_process[metric])

    bad = run_cli("eval", "--answers", str(corrupted), "--golden", str(DEV), "--out", str(tmp_path / "bad"),
                  "--baseline", str(tmp_path / "honest" / "eval.json"), env=env)
    assert bad.returncode == 1 and "BREACHED custom/all faithfulness" in bad.stderr and "Traceback" not in bad.stderr
    worse = json.loads((tmp_path / "bad" / "eval.json").read_text())
    # One unsupported claim fails a case: every answer now carries an invented, cited fact.
    assert worse["summary"]["passed"] <= 0.2 * again["passed"]
    # Both are shares of sentences (citations): one invented among up to six quoted ones is 1/7 of them.
    assert worse["summary"]["faithfulness"] < again["faithfulness"] - 0.12
    assert worse["summary"]["citation_precision"] < again["citation_precision"] - 0.12
    assert worse["baseline"]["newly_failing"] and "vs baseline" in bad.stdout
    assert "Unsupported sentence" in (tmp_path / "bad" / "eval.md").read_text()


def test_breached_threshold_exits_1_and_bad_inputs_exit_2(store_settings, tmp_path):
    strict = tmp_path / "strict.toml"
    strict.write_text("[every.min]\npass_rate = 1.01\n")
    env = cli_env(store_settings)
    result = run_cli("eval", "--split", "dev", "--thresholds", str(strict), "--out", str(tmp_path / "o"), env=env,
                     timeout=400)
    assert result.returncode == 1 and "BREACHED seed/dev pass_rate" in result.stderr
    assert "BREACHED adviser/dev pass_rate" in result.stderr, "--split dev runs the dev split of every suite"
    assert (tmp_path / "o" / "eval.json").exists(), "the report is written even when the gate fails"
    (tmp_path / "answers.jsonl").write_text('{"id": "nope", "answer": "x"}\n')
    missing = run_cli("eval", "--answers", str(tmp_path / "answers.jsonl"), "--golden", str(DEV), env=env)
    assert missing.returncode == 2 and "unknown case id 'nope'" in missing.stderr
    assert run_cli("eval", "--split", "train", env=env).returncode == 2
    nowhere = run_cli("eval", "--corpus", str(tmp_path / "missing"), env=env)
    assert nowhere.returncode == 2 and "not a folder" in nowhere.stderr
    (tmp_path / "guides").mkdir()
    uncased = run_cli("eval", "--corpus", str(tmp_path / "guides"), env=env)
    assert uncased.returncode == 2 and "guides-dev.jsonl" in uncased.stderr
    no_llm = run_cli("eval", "--judge", "llm", env=env | {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
    assert no_llm.returncode == 2 and "No OpenAI-compatible endpoint" in no_llm.stderr


def test_gate_and_baseline_functions(tmp_path):
    limits = {"every": {"min": {"a": 0.6}, "max": {}}, "s/test": {"min": {}, "max": {"b": 2}},
              "gap": {"min": {}, "max": {"a": 0.05}}, "judge": {"min": {"j": 0.9}, "max": {}}}
    summaries = {"s/dev": {"a": 0.9, "b": 1}, "s/test": {"a": 0.5, "b": 3}}
    assert breaches(summaries, {"j": 0.95}, limits) == [
        "s/test a = 0.500, below the minimum 0.6", "s/test b = 3.000, above the maximum 2",
        "s dev-test gap a = 0.400, above the maximum 0.05"]
    assert "no such metric" in breaches({"s/dev": {}}, {}, {"every": {"min": {"x": 1}, "max": {}}})[0]
    assert breaches({"s/dev": {"b": 9}}, {"j": 1.0}, limits) == ["s/dev a: no such metric (thresholds name one the report "
                                                         "does not have)"], "limits of a split not run are skipped"
    found = breaches(summaries, {"j": 0.95}, limits)
    failing, still_open, met = split_open(found, {"s/test b": "#13", "s/dev a": "#13"}, ["s/dev", "s/test"])
    assert failing == ["s/test a = 0.500, below the minimum 0.6", "s dev-test gap a = 0.400, above the maximum 0.05"]
    assert still_open == ["s/test b = 3.000, above the maximum 2 (open target of #13)"]
    assert met == ["s/dev a (set by #13) is met: remove it from [open]"]
    bad = tmp_path / "t.toml"
    bad.write_text("[every]\nfaithfulness = 1\n")
    with pytest.raises(GoldenSetError, match="may only hold"):
        load_thresholds(bad)
    def report(f: float, passed: dict[str, bool]) -> EvalReport:
        cases = [CaseRecord(id=i, split="s/dev", question="q", tags=[], expect="answer", passed=ok, reasons=[],
                            evidence_found=[], key_points_found=[], claims=[], latency_ms=1.0,
                            answer=ScoredAnswer(answer="a"), attribution=[]) for i, ok in passed.items()]
        return EvalReport(system="s", k=5, summary={"f": f}, cases=cases)

    diff = compare(report(0.8, {"a": False, "b": True}), report(0.9, {"a": True, "b": False}))
    assert diff.deltas["f"].delta == pytest.approx(-0.1)
    assert diff.newly_failing == ["a"] and diff.newly_passing == ["b"]
    saved = tmp_path / "eval.json"
    saved.write_text(report(0.9, {"a": True}).model_dump_json())
    assert load_report(saved).cases[0].passed
    saved.write_text('{"summary": {}}')
    with pytest.raises(GoldenSetError, match="is not an eval.json report"):
        load_report(saved)


def test_llm_judge_gives_a_second_opinion_over_http(eval_run, fake_llm, tmp_path):
    engine, report, _ = eval_run
    handler, url = fake_llm
    settings = engine.settings.model_copy(update={"openai_base_url": url, "llm_timeout": 5.0, "llm_retries": 0})
    answers = tmp_path / "a.jsonl"
    answers.write_text("".join(json.dumps({"id": c.id, **c.answer.model_dump()}) + "\n" for c in report.cases))
    second = run_eval(Engine(settings, engine.embedder), splits=SEED_DEV, answers=answers, judge="llm")
    assert any(r["messages"][0]["content"].startswith("You check answers") for r in handler.requests)
    assert 0 < second.summary["llm_faithfulness"] <= 1 and "judge_agreement" in second.summary
