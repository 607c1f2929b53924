import shutil
from pathlib import Path

import pytest

from ingest.embedding import packaged_model_path
from ingest.pipeline import ingest
from ingest.settings import IngestSettings
from ingest.st_embedder import SentenceTransformerEmbedder
from ingest.store import ChunkStore, ModelMismatchError, StoreMissingError


def snapshot(settings: IngestSettings, embedder) -> dict[str, tuple[str, dict]]:
    store = ChunkStore(settings, embedder)
    return {c.id: (c.text, c.metadata) for c in store.iter_chunks()}


def test_ingest_into_persistent_chroma(settings, corpus_copy, embedder):
    report = ingest([corpus_copy], settings, embedder)
    assert report.documents == 3
    assert report.added == report.chunks == embedder.embedded > 50
    assert (settings.chroma_path / "chroma.sqlite3").exists()
    store = ChunkStore(settings, embedder)
    assert store.count() == report.chunks
    collection = store.collection()
    assert collection.metadata["embedding_model"] == embedder.name
    assert collection.configuration["hnsw"]["space"] == "cosine"
    hits = store.vectorstore().similarity_search("who responds to pager alerts?", k=3)
    assert any("pager alerts" in h.page_content for h in hits)


def test_second_run_embeds_nothing(settings, corpus_copy, embedder):
    first = ingest([corpus_copy], settings, embedder)
    embedded = embedder.embedded
    second = ingest([corpus_copy], settings, embedder)
    assert (second.added, second.updated, second.deleted) == (0, 0, 0)
    assert second.unchanged == first.chunks
    assert embedder.embedded == embedded


def test_edited_document_reembeds_only_changed_chunks(settings, corpus_copy, embedder):
    ingest([corpus_copy], settings, embedder)
    before = snapshot(settings, embedder)
    path = corpus_copy / "it-career-paths.txt"
    text = path.read_text()
    path.write_text(text.replace("design APIs, data models, and services", "design GraphQL schemas and services"))
    embedder.embedded = 0
    report = ingest([corpus_copy], settings, embedder)
    assert report.added == 1 and report.deleted == 1
    assert embedder.embedded == 1
    after = snapshot(settings, embedder)
    assert len(after) == len(before)
    assert any("GraphQL schemas" in text for text, _ in after.values())
    assert not any("design APIs, data models, and services" in text for text, _ in after.values())


def test_inserted_text_shifts_offsets_without_reembedding(settings, corpus_copy, embedder):
    ingest([corpus_copy], settings, embedder)
    path = corpus_copy / "technology-career-atlas.txt"
    lines = path.read_text().split("\n")
    lines.insert(2, "\nAn extra preface line that shifts every offset below it.\n")
    path.write_text("\n".join(lines))
    embedder.embedded = 0
    report = ingest([corpus_copy], settings, embedder)
    assert report.added == embedder.embedded <= 2
    assert report.updated > 10, "offset metadata refreshed without embedding"


def test_removed_document_chunks_are_deleted(settings, corpus_copy, embedder):
    first = ingest([corpus_copy], settings, embedder)
    (corpus_copy / "engineering-job-roles.md").unlink()
    report = ingest([corpus_copy], settings, embedder)
    assert report.deleted > 0 and report.documents == 2
    sources = {meta["source"] for _, meta in snapshot(settings, embedder).values()}
    assert sources == {"it-career-paths.txt", "technology-career-atlas.txt"}
    assert len(snapshot(settings, embedder)) == first.chunks - report.deleted


def test_ingesting_one_file_keeps_the_others(settings, corpus_copy, embedder):
    ingest([corpus_copy], settings, embedder)
    before = snapshot(settings, embedder)
    report = ingest([corpus_copy / "it-career-paths.txt"], settings, embedder)
    assert report.documents == 1 and report.deleted == 0
    assert snapshot(settings, embedder).keys() == before.keys()


def test_a_guide_deleted_from_another_folder_is_reported_not_silently_kept(settings, corpus_copy, embedder, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(corpus_copy / "engineering-job-roles.md", extra / "my-roles.md")
    ingest([corpus_copy, extra], settings, embedder)
    shutil.rmtree(extra)
    report = ingest([corpus_copy], settings, embedder)
    assert report.gone == [str((extra / "my-roles.md").resolve())] and report.deleted == 0
    assert "my-roles.md" in {meta["source"] for _, meta in snapshot(settings, embedder).values()}, "never dropped unasked"
    assert ingest([corpus_copy], settings, embedder, reset=True).gone == []


def test_reset_rebuilds(settings, corpus_copy, embedder):
    first = ingest([corpus_copy], settings, embedder)
    report = ingest([corpus_copy], settings, embedder, reset=True)
    assert report.added == first.chunks and report.unchanged == 0


def test_opening_with_another_model_is_a_clear_error(settings, corpus_copy, embedder, tmp_path: Path):
    ingest([corpus_copy], settings, embedder)
    other_dir = tmp_path / "other-minilm"
    shutil.copytree(packaged_model_path(), other_dir)
    other = SentenceTransformerEmbedder(other_dir)
    with pytest.raises(ModelMismatchError, match="--reset"):
        ChunkStore(settings, other).collection()
    report = ingest([corpus_copy], settings, other, reset=True)
    assert ChunkStore(settings, other).count() == report.chunks


def test_missing_store_is_reported(settings, embedder):
    with pytest.raises(StoreMissingError, match="careerchat ingest"):
        ChunkStore(settings, embedder).collection()


def test_duplicate_documents_in_one_folder_get_their_own_chunks(settings, embedder, tmp_path: Path):
    folder = settings.corpus_dir
    folder.mkdir(parents=True)
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text("Guide\n\nSRE\n\nRole: Keeps systems running.\n")
    report = ingest([folder], settings, embedder)
    assert report.documents == 2 and report.chunks == 2


@pytest.mark.slow
def test_server_mode_against_real_chroma_run(chroma_server, corpus_copy, embedder, tmp_path: Path):
    settings = IngestSettings(chroma_url=chroma_server, collection="server_test", chroma_path=tmp_path / "unused")
    first = ingest([corpus_copy], settings, embedder)
    assert first.added == first.chunks > 50
    second = ingest([corpus_copy], settings, embedder)
    assert second.added == 0 and second.unchanged == first.chunks
    store = ChunkStore(settings, embedder)
    assert store.count() == first.chunks
    assert not (tmp_path / "unused" / "chroma.sqlite3").exists()
