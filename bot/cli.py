"""The ``careerchat`` command line: thin wrappers over ingest/ and bot/."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ingest.settings import get_settings

app = typer.Typer(
    help="careerchat: answers questions about tech careers from a curated corpus, with citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(f"Error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders to ingest (default: the corpus folder).")
    ] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Drop the collection and rebuild it from scratch.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON line with the counts, nothing else.")] = False,
) -> None:
    """Load, clean, chunk and embed documents into the Chroma store (only what changed)."""
    from ingest.embedding import load_embedder
    from ingest.pipeline import IngestBusyError
    from ingest.pipeline import ingest as run_ingest
    from ingest.store import StoreError

    settings = get_settings()
    targets = paths or [settings.corpus_dir]
    try:
        report = run_ingest(targets, settings, load_embedder(settings), reset=reset, progress=None if not as_json else False)
    except (StoreError, IngestBusyError) as exc:
        raise fail(str(exc)) from None
    for skipped in report.skipped:
        typer.echo(f"Skipped {skipped.path}: {skipped.reason}", err=True)
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

    settings = get_settings()
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


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
