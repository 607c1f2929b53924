"""The ``careerchat`` command line: thin wrappers over ingest/ and bot/.

Packages above the bot add their commands through the ``careerchat.commands`` entry point group (each entry
is a ``register(app)`` function), so the bot never imports them: ``evals`` adds ``eval``, ``judge`` and
``feedback`` that way.
"""

from __future__ import annotations

import gc
import io
import json
import re
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from bot.settings import BotSettings, get_settings

app = typer.Typer(
    help="careerchat: answers questions about tech careers from a curated corpus, with citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(f"Error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def settings_or_exit() -> BotSettings:
    """The settings, or one line per bad CAREERCHAT_* variable instead of a validation traceback."""
    try:
        return get_settings()
    except ValidationError as exc:
        problems = "; ".join(f"CAREERCHAT_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        raise fail(f"invalid configuration: {problems}") from None


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders to ingest (default: the corpus folder).")
    ] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Drop the collection (every guide in it, not only those "
                                                   "named) and rebuild it from the paths given.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON line with the counts, nothing else.")] = False,
) -> None:
    """Load, clean, chunk and embed documents into the Chroma store (only what changed)."""
    from ingest.embedding import load_embedder
    from ingest.pipeline import IngestBusyError
    from ingest.pipeline import ingest as run_ingest
    from ingest.store import StoreError

    settings = settings_or_exit()
    targets = paths or [settings.corpus_dir]
    embedder = load_embedder(settings)
    try:
        report = run_ingest(targets, settings, embedder, reset=reset, progress=None if not as_json else False)
        if report.documents:
            from bot.chat import Engine

            Engine(settings, embedder).retriever.index()  # saved for this store version: servers load, not rebuild
    except (StoreError, IngestBusyError) as exc:
        raise fail(str(exc)) from None
    for skipped in report.skipped:
        typer.echo(f"Skipped {skipped.path}: {skipped.reason}", err=True)
    for path in report.gone:
        typer.echo(f"Still in the store but no longer on disk: {path} (ingested earlier from another path). "
                   "`careerchat ingest --reset` rebuilds the store from the corpus folder alone.", err=True)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        typer.echo(
            f"Ingested {report.documents} documents into {settings.store_location}: {report.chunks} chunks "
            f"({report.added} added, {report.updated} updated, {report.deleted} deleted, "
            f"{report.unchanged} unchanged) in {report.seconds:.1f}s"
        )
    if report.documents == 0:
        raise fail("nothing could be ingested.", code=1)


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show what the store holds: documents, chunks, embedding model and location."""
    from ingest.embedding import load_embedder
    from ingest.store import ChunkStore, StoreError

    settings = settings_or_exit()
    try:
        store = ChunkStore(settings, load_embedder(settings))
        sources = {c.metadata.get("source") for c in store.iter_chunks(include_documents=False)}
        data = {
            "documents": len(sources),
            "chunks": store.count(),
            "model": store.embedder.name,
            "store": store.location,
            "collection": settings.collection,
        }
    except StoreError as exc:
        raise fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps(data))
    else:
        for key, value in data.items():
            typer.echo(f"{key:>10}: {value}")


CHAT_COMMANDS = "Commands: /reset starts over, /sources shows the last answer's passages, /help, /quit."
Backend = Annotated[str | None, typer.Option("--backend", help="extractive (offline default), openai or local.")]
TopK = Annotated[int | None, typer.Option("--k", min=1, max=20, help="Passages to retrieve (default from settings).")]
Source = Annotated[str | None, typer.Option("--source", help="Only use this corpus file, e.g. it-career-paths.txt.")]


def engine_or_exit(backend: str | None = None, source: str | None = None):
    """The shared engine, or a clear message when the store is missing or unusable, or ``source`` is no ingested
    file (filtering by it would only ever refuse)."""
    from bot.chat import Engine
    from ingest.store import StoreError

    settings = settings_or_exit()
    try:
        engine = Engine(settings.model_copy(update={"backend": backend}) if backend else settings)
        index = engine.retriever.index()
    except StoreError as exc:
        raise fail(str(exc)) from None
    if source is not None and source not in (known := sorted(index.metas.values("source"))):
        raise fail(f"unknown source {source!r}; choose one of: {', '.join(known)}.")
    return engine


def _print_answer(answer) -> None:
    if answer.notice:
        typer.secho(answer.notice, fg=typer.colors.YELLOW, err=True)
    typer.echo(answer.answer)
    if answer.citations:
        typer.echo("\nSources:")
        for c in answer.citations:
            typer.echo(f"  [{c.n}] {c.place}")


def check_backend(backend: str | None) -> None:
    from bot.generators import BACKENDS

    if backend and backend not in BACKENDS:
        raise fail(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}.")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question, in quotes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as one JSON object.")] = False,
    k: TopK = None,
    backend: Backend = None,
    source: Source = None,
) -> None:
    """Answer one question from the corpus, with numbered citations (or an honest refusal)."""
    check_backend(backend)
    if not question.strip():
        raise fail("the question is empty.")
    from ingest.store import StoreError

    try:
        answer = engine_or_exit(source=source).ask(question, k=k, backend=backend, source=source)
    except StoreError as exc:
        raise fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps(answer.public(), ensure_ascii=False))
    else:
        _print_answer(answer)


@app.command()
def chat(
    as_json: Annotated[
        bool, typer.Option("--json", help="Read one user turn per stdin line; print one JSON object per turn "
                          '({"question", "error"} when the store cannot be reached); /reset starts over and '
                          'prints {"command": "/reset", "history": 0}.')
    ] = False,
    k: TopK = None,
    backend: Backend = None,
    source: Source = None,
) -> None:
    """Chat with follow-ups. Commands: /reset starts over, /sources lists the last answer's passages, /help, /quit."""
    from bot.chat import Conversation
    from ingest.store import StoreError

    check_backend(backend)
    conversation = Conversation(engine_or_exit(source=source))
    options = {"k": k, "backend": backend, "source": source}

    def reply(line: str):
        """The answer, or None after telling the user why the store failed; the session goes on either way."""
        try:
            return conversation.ask(line, **options)
        except StoreError as exc:
            if as_json:
                typer.echo(json.dumps({"question": line, "error": str(exc)}, ensure_ascii=False))
            else:
                typer.secho(f"Error: {exc}", fg=typer.colors.RED, err=True)
            return None

    if as_json:
        stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        for line in stdin:
            turn = line.strip()
            if turn in {"/quit", "/exit"}:
                return
            if turn == "/reset":
                conversation.reset()
                typer.echo(json.dumps({"command": "/reset", "history": 0}))
            elif turn and (answer := reply(line.rstrip("\n"))):
                typer.echo(json.dumps(answer.public(), ensure_ascii=False))
        return
    typer.echo(f"careerchat — ask about tech careers. {CHAT_COMMANDS}")
    while True:
        try:
            line = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            typer.echo()
            return
        if line in {"/quit", "/exit"}:
            return
        if line == "/reset":
            conversation.reset()
            typer.echo("(new conversation)")
        elif line == "/sources":
            last = conversation.history[-1] if conversation.history else None
            if not last:
                typer.echo("(no cited passages yet: ask a question first)")
            elif not last.citations:
                typer.echo("(the last answer cited no passages)")
            for c in last.citations if last else []:
                typer.echo(f"[{c.n}] {c.place}\n{textwrap.indent(c.text, '    ')}\n")
        elif re.fullmatch(r"/\w+", line):
            typer.echo(CHAT_COMMANDS if line == "/help" else f"unknown command {line}; {CHAT_COMMANDS}")
        elif line and (answer := reply(line)):
            _print_answer(answer)


def register_plugins() -> None:
    for entry in entry_points(group="careerchat.commands"):
        entry.load()(app)


def core_commands() -> set[str]:
    return {info.name or info.callback.__name__.replace("_", "-") for info in app.registered_commands}


def main() -> None:
    """Plugins load only when the command is not a core one: finding and importing them costs ~60 ms of a cold
    ``careerchat ask``, and ``--help`` still lists them. What is alive at exit is frozen out of the garbage
    collector, so the interpreter's shutdown collections do not walk ~1,500 modules' objects (~0.35 s of every
    command); atexit handlers and finalizers still run."""
    if not sys.argv[1:2] or sys.argv[1] not in core_commands():
        register_plugins()
    try:
        app()
    finally:
        gc.freeze()


if __name__ == "__main__":
    sys.exit(main())
