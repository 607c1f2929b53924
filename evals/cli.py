"""The eval suite's commands, added to ``careerchat`` through the ``careerchat.commands`` entry point.

``careerchat eval`` scores the bot on the golden splits, ``eval judge`` scores the judge on public data,
``judge`` checks answers from anywhere, ``feedback export`` turns ratings into golden cases.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bot.cli import check_backend, engine_or_exit, fail, settings_or_exit
from evals.records import EvalReport


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
    app.command("judge")(judge_answers)
    app.add_typer(feedback_app, name="feedback")


eval_app = typer.Typer(help="Score careerchat on the golden splits; `eval judge` scores the judge itself.")


@eval_app.callback(invoke_without_command=True)
def evaluate(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Folder for eval.json, eval.md, eval.html and junit.xml.")] = Path(
        "artifacts/eval"),
    answers: Annotated[Path | None, typer.Option(
        "--answers", help="Score answers made elsewhere: JSONL, one line per case: the case id plus the `chat --json` "
        "object of its last turn (optional \"retrieved\": passage texts, best first).")] = None,
    judge: Annotated[str, typer.Option("--judge", help="offline (validated on public data: `eval judge`) or llm (adds "
                                       "the configured OpenAI-compatible endpoint as a second opinion).")] = "offline",
    golden: Annotated[Path | None, typer.Option(
        "--golden", help="Score one case file (JSONL) on the configured store instead of the suites.")] = None,
    split: Annotated[str, typer.Option("--split", help="dev, test or all: which split of each suite to run "
                                       "(evals/cases/<suite>-<split>.jsonl).")] = "all",
    corpus: Annotated[Path | None, typer.Option(
        "--corpus", help="A folder of extra guides: ingested with the seed guides into a store of its own and scored "
        "on evals/cases/<folder name>-<split>.jsonl.")] = None,
    thresholds: Annotated[Path | None, typer.Option(
        "--thresholds", help="TOML of metric limits per split (default evals/thresholds.toml).")] = None,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", help="An older eval.json: print per-metric deltas and newly failing cases.")] = None,
    backend: Annotated[str | None, typer.Option(
        "--backend", help="Answer with this backend instead of CAREERCHAT_BACKEND: extractive, openai or local.")] = None,
) -> None:
    """Score careerchat (or --answers) on the dev and test splits; exit 1 when a threshold is breached."""
    if ctx.invoked_subcommand:
        return
    from evals.gate import THRESHOLDS
    from evals.golden import GoldenSetError
    from evals.judge import JudgeError
    from evals.report import write_all
    from evals.splits import SPLITS, discover
    from evals.suite import run_eval
    from ingest.store import StoreError

    if judge not in ("offline", "llm"):
        raise fail(f"unknown judge '{judge}'; use offline or llm.")
    check_backend(backend)
    if split not in (*SPLITS, "all"):
        raise fail(f"unknown split '{split}'; use dev, test or all.")
    if corpus is not None and not corpus.is_dir():
        raise fail(f"--corpus {corpus}: not a folder of guides.")
    splits = discover(split=split, extra_corpus=corpus)
    if corpus is not None and not splits and golden is None:
        raise fail(f"no case files evals/cases/{corpus.name}-dev.jsonl or -test.jsonl for --corpus {corpus}.")
    engine = engine_or_exit(backend)
    try:
        report = run_eval(engine, splits=splits, golden=golden, answers=answers, judge=judge,
                          thresholds=thresholds or THRESHOLDS, baseline=baseline, progress=sys.stderr.isatty())
    except (GoldenSetError, JudgeError, StoreError) as exc:
        raise fail(str(exc)) from None
    files = write_all(report, out)
    typer.echo(f"{report.system}: {report.summary['passed']}/{report.summary['cases']} cases passed")
    typer.echo(split_table(report))
    if report.baseline:
        for key, change in report.baseline.deltas.items():
            if change.delta:
                typer.echo(f"{key:>24}: {change.current:.3f} ({change.delta:+.3f} vs baseline)")
        typer.echo(f"Newly failing: {', '.join(report.baseline.newly_failing) or 'none'}")
    for case in report.cases:
        if not case.passed:
            typer.echo(f"FAILED {case.id}: {'; '.join(case.reasons)[:200]}")
    typer.echo("Reports: " + ", ".join(str(f) for f in files))
    _print_gate(report.breaches, report.open_targets, report.open_targets_met)


@eval_app.command("judge")
def evaluate_judge(
    out: Annotated[Path, typer.Option("--out", help="Where the scores go (JSON).")] = Path(
        "artifacts/eval/judge-heldout.json"),
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Judge only the first N held-out answers.")] = None,
) -> None:
    """Score the offline judge on the held-out split of public human-annotated data (evals/external/)."""
    from tqdm import tqdm

    from evals.external import load
    from evals.external.heldout import LONG, gate, run, save
    from evals.judge import AlignedJudge
    from ingest.embedding import load_embedder

    answers = load("heldout")[:limit]
    if not answers:
        raise fail("no held-out answers in evals/external/data/.")
    with tqdm(total=len(answers), desc="judge", unit="answer", disable=not sys.stderr.isatty()) as bar:
        report = run(AlignedJudge(load_embedder(settings_or_exit())), answers, progress=lambda i, n: bar.update())
    save(report, out, "careerchat eval judge" + (f" --limit {limit}" if limit else ""))
    metrics = ("answers", "hallucinated", "precision", "recall", "f1", "balanced_accuracy", "false_alarm_rate", "auroc")
    typer.echo(f"{'held-out group':<24}" + "".join(f"{m[:12]:>13}" for m in metrics))
    for group, scores in report.groups.items():
        typer.echo(f"{group:<24}" + "".join(f"{scores[m]:>13.3f}" if isinstance(scores[m], float) else f"{scores[m]:>13}"
                                            for m in metrics))
    typer.echo(f"{report.seconds_per_answer:.3f} s per answer ({report.sentences_per_answer} claims on average), "
               f"{report.seconds_per_long_answer:.3f} s per answer of {LONG}+ claims; wrote {out}")
    if not limit:  # the targets are for the whole held-out split
        _print_gate(*gate(report))


def judge_answers(
    file: Annotated[Path, typer.Argument(help='JSONL, one answer a line: {"id", "answer", "passages": \\[text, ...]}.')],
    out: Annotated[Path | None, typer.Option("--out", help="Write the verdicts here instead of stdout.")] = None,
) -> None:
    """Judge answers from anywhere with the eval suite's offline judge: one verdict line per answer."""
    from evals.judge import AlignedJudge
    from evals.judge_file import JudgeFileError, judge_file, read_requests
    from ingest.embedding import load_embedder

    if not file.is_file():
        raise fail(f"{file}: no such file.")
    try:
        requests = read_requests(file)
    except (JudgeFileError, UnicodeDecodeError) as exc:
        raise fail(str(exc)) from None
    if not requests:
        raise fail(f"{file}: no answers to judge (the file has no JSON lines).")
    judge = AlignedJudge(load_embedder(settings_or_exit()))
    sink = out.open("w", encoding="utf-8") if out else sys.stdout
    try:
        for line in judge_file(judge, requests):
            print(line, file=sink, flush=True)
    finally:
        if out:
            sink.close()
    if out:
        typer.echo(f"{len(requests)} verdicts written to {out}", err=True)


feedback_app = typer.Typer(help="Ratings people gave in the app: export them as golden cases to review and run.")


@feedback_app.command("export")
def feedback_export(
    out: Annotated[Path, typer.Option("--out", help="Golden-set JSONL to write (run it with `eval --golden FILE`).")],
) -> None:
    """Write every rated answer as a golden case: turns, expect, cited passages as evidence, the comment."""
    from bot.feedback import FeedbackStore
    from evals.feedback_cases import cases_from_feedback
    from ingest.store import StoreError

    settings = settings_or_exit()
    if not settings.feedback_db.is_file():
        raise fail(f"no feedback yet: {settings.feedback_db} does not exist (rate an answer in the app first).")
    rows = FeedbackStore(settings.feedback_db).rows()
    texts: dict[str, str] = {}
    if any(r.refused and not r.citations for r in rows):  # refusals cite nothing: read what they retrieved
        try:
            index = engine_or_exit().retriever.index()
            texts = dict(zip(index.ids, index.texts, strict=True))
        except (StoreError, typer.Exit):
            typer.secho("The store is unavailable: refusals are exported without evidence candidates.",
                        fg=typer.colors.YELLOW, err=True)
    cases, skipped = cases_from_feedback(rows, texts.get)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(c.model_dump_json(exclude_defaults=True) + "\n" for c in cases), encoding="utf-8")
    typer.echo(f"{len(cases)} cases from {len(rows)} ratings written to {out}"
               + (f"; {skipped} skipped (no evidence in the store)" if skipped else "")
               + f". Review them, then: careerchat eval --golden {out}")


def _print_gate(breaches: list[str], still_open: list[str], now_met: list[str]) -> None:
    """OPEN and MET lines for the issue targets under [open]; BREACHED lines and exit 1 for the rest."""
    for line in still_open:
        typer.secho(f"OPEN {line}", fg=typer.colors.YELLOW, err=True)
    for line in now_met:
        typer.secho(f"MET {line}", fg=typer.colors.GREEN, err=True)
    for line in breaches:
        typer.secho(f"BREACHED {line}", fg=typer.colors.RED, err=True)
    if breaches:
        raise fail("eval thresholds breached.", code=1)


def split_table(report: EvalReport) -> str:
    """Dev and test side by side: one column per split, one row per metric."""
    from evals.report import side_by_side

    names, rows = side_by_side(report)
    lines = [f"{'metric':>24}  " + "  ".join(f"{n:>14}" for n in names)]
    for metric, values in rows:
        lines.append(f"{metric:>24}  " + "  ".join(f"{v:>14}" for v in values))
    return "\n".join(lines)
