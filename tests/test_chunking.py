import re
from pathlib import Path

import pytest

from ingest.chunking import Chunker, sentence_spans
from ingest.loaders import load_file
from ingest.models import Document

from .conftest import CORPUS


@pytest.fixture(scope="module")
def chunker(real_embedder):
    return Chunker(real_embedder.count_tokens, real_embedder.max_tokens, overlap_tokens=40)


def corpus_docs() -> list[Document]:
    return [load_file(p, p.name, 2**24) for p in sorted(CORPUS.iterdir())]


def test_no_chunk_exceeds_the_embedder_window(chunker, real_embedder):
    for doc in corpus_docs():
        for chunk in chunker.chunk(doc):
            # +2 for [CLS] and [SEP]: the model must read the whole passage, header included.
            assert real_embedder.count_tokens(chunk.embed_text) + 2 <= real_embedder.max_tokens, chunk.section


def test_no_text_of_any_section_is_lost(chunker):
    for doc in corpus_docs():
        chunks = chunker.chunk(doc)
        for section in doc.sections:
            covered = [False] * (section.end - section.start)
            for chunk in chunks:
                for i in range(max(chunk.start, section.start), min(chunk.end, section.end)):
                    covered[i - section.start] = True
            missing = "".join(
                ch for ch, ok in zip(doc.text[section.start : section.end], covered, strict=True) if not ok
            )
            assert not missing.strip(), f"{doc.source} {section.path}: lost {missing.strip()[:80]!r}"


def test_chunk_text_is_the_exact_slice_of_the_cleaned_document(chunker):
    for doc in corpus_docs():
        for chunk in chunker.chunk(doc):
            assert doc.text[chunk.start : chunk.end] == chunk.text


def test_sre_section_metadata(chunker):
    atlas = next(d for d in corpus_docs() if d.source == "technology-career-atlas.txt")
    chunks = [c for c in chunker.chunk(atlas) if c.section == "Engineering > DevOps / Platform / SRE > Day in the life"]
    assert len(chunks) == 1
    meta = chunks[0].metadata()
    assert meta["source"] == "technology-career-atlas.txt"
    assert meta["title"] == "The Technology Career Atlas"
    assert meta["role"] == "DevOps / Platform / SRE"
    assert chunks[0].text.startswith("Day in the life: They respond to pager alerts")
    assert re.fullmatch(r"[0-9a-f]{64}", meta["content_hash"])
    indexes = [c.index for c in chunker.chunk(atlas)]
    assert indexes == list(range(len(indexes)))


def test_long_section_is_split_with_overlap_and_long_sentence_is_cut(chunker, real_embedder, tmp_path: Path):
    sentences = [f"Sentence number {i} talks about observability, deployments and on-call runbooks." for i in range(60)]
    monster = " ".join(["supercalifragilistic"] * 400) + "."
    path = tmp_path / "long.txt"
    path.write_text("Long guide\n\nSRE\n\nRole: " + " ".join(sentences) + " " + monster + "\n")
    doc = load_file(path, path.name, 2**24)
    chunks = chunker.chunk(doc)
    assert len(chunks) > 3
    for chunk in chunks:
        assert real_embedder.count_tokens(chunk.embed_text) + 2 <= real_embedder.max_tokens
    first, second = chunks[0], chunks[1]
    assert second.start < first.end, "consecutive chunks share an overlapping sentence"
    joined = "".join(doc.text[c.start : c.end] for c in chunks)
    assert joined.count("supercalifragilistic") >= 400


def test_dots_leading_to_a_figure_keep_a_table_row_whole_while_an_ellipsis_still_ends_a_sentence():
    text = "Finance and insurance ........ 13%\n  Educational services ........ 9%\nI waited... Then I applied."
    found = [text[a:b] for a, b in sentence_spans(text, 0, len(text))]
    assert found == ["Finance and insurance ........ 13%", "Educational services ........ 9%", "I waited...",
                     "Then I applied."]


def test_a_sentence_keeps_its_closing_quote():
    """A quoted sentence ("You need to be able to code.") had lost its closing quote to the space after it, and
    answers showed an unclosed quote."""
    text = '"You need to be able to code." None of these jobs requires it. (It rarely is.) Recruiters need words.'
    assert [text[a:b] for a, b in sentence_spans(text, 0, len(text))] == [
        '"You need to be able to code."', "None of these jobs requires it.", "(It rarely is.)", "Recruiters need words."]
