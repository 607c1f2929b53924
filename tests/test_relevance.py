"""Sentence choice by meaning: the real packaged embedder scores how close each sentence is to the question."""

from __future__ import annotations

from bot.chat import Engine
from bot.generators.base import GenerationRequest
from bot.generators.extractive import ExtractiveGenerator, candidates
from bot.models import Passage
from bot.relevance import SentenceRelevance
from bot.vocabulary import load_vocabulary
from ingest.pipeline import ingest

PASSAGE = Passage(
    id="g-1", source="guide.md", section="Site reliability", text=(
        "Site reliability teams keep large production services running for millions of users. "
        "The job has a reputation for being thankless, because nobody notices the work until something breaks. "
        "Most teams use a mix of Go, Python and shell scripts. "
        "Teams often sit inside the wider infrastructure group of a company."))


class CountingEncoder:
    def __init__(self, inner) -> None:
        self.inner = inner
        self.encoded: list[str] = []

    def encode(self, texts: list[str]):
        self.encoded += texts
        return self.inner.encode(texts)


def test_scores_follow_meaning_and_sentence_vectors_are_cached(real_embedder):
    encoder = CountingEncoder(real_embedder)
    relevance = SentenceRelevance(encoder, cache_size=3)
    close, far = PASSAGE.text.split(". ")[1], "Bananas are rich in potassium."
    scores = relevance.scores("Is it an unrewarding job where your effort goes unappreciated?", [close, far])
    assert scores[0] > scores[1] + 0.1
    relevance.scores("Another question?", [close, far])
    assert encoder.encoded.count(close) == 1, "a sentence is embedded once, then read from the cache"
    relevance.scores("A third one?", ["One.", "Two.", "Three."])
    assert len(relevance._vectors) == 3, "the cache keeps at most cache_size sentences"


def test_the_answer_leads_with_the_sentence_that_answers_in_other_words(real_embedder):
    vocabulary = load_vocabulary()
    question = "Is it an unrewarding job where your effort goes unappreciated?"
    request = GenerationRequest(question=question, query=question,
                                passages=[PASSAGE], vocabulary=vocabulary, relevance=SentenceRelevance(real_embedder))
    aspects, fit = [], []
    best = candidates(request, aspects, fit)[0]
    assert "thankless" in best.text
    scored = {c.text: c.score for c in candidates(request, aspects, fit)}
    blind = {c.text: c.score for c in candidates(request, aspects, fit, by_meaning=False)}
    gain = {text: scored[text] - blind[text] for text in scored}
    assert max(gain, key=gain.get) == best.text, "meaning lifts the answering sentence most"
    answer = ExtractiveGenerator().render(ExtractiveGenerator().compose(request))
    assert "thankless" in answer


DILUTED_GUIDE = """# Field guide to infrastructure work

## Network engineer

Network engineers design the links between offices, data centres and cloud regions. They choose routers, switches \
and firewalls, and plan address space so that teams can grow without renumbering. Vendors publish long manuals, and \
much of the early career is spent reading them. Certifications from equipment makers are common. Many network \
engineers started on a help desk. When a remote office is slow to open web pages, the network engineer is the person \
who measures where the delay comes from. Large companies keep spare parts on site. Salaries vary with the size of \
the network and the industry. Some move into security architecture after a few years. Documentation of cabling and \
rack layouts is a recurring chore.

## Database administrator

Database administrators keep an organisation's databases available, backed up and secure. They plan capacity, apply \
patches and restore data after mistakes. Slow queries are found and rewritten.

## Support engineer

Support engineers answer customer tickets when the internet feels sluggish, pages are slow or errors appear at a \
branch office. They collect logs and pass them to the right team.
"""


def test_retrieval_ranks_a_passage_by_the_one_sentence_that_answers(settings, real_embedder):
    """A passage that answers in one sentence among many loses on its whole-passage vector; its best sentence
    lifts it (the rerank's addition is largest for it)."""
    settings.corpus_dir.mkdir(parents=True)
    (settings.corpus_dir / "guide.md").write_text(DILUTED_GUIDE, encoding="utf-8")
    ingest([settings.corpus_dir], settings, real_embedder)
    engine = Engine(settings, real_embedder)
    assert engine.retriever.relevance is engine.relevance, "the rerank shares the answerer's sentence vectors"
    idx = engine.retriever.index()
    question = "Which job pinpoints the source of lag for a remote site?"
    role = {i: idx.metas[i]["section"].rsplit("> ", 1)[-1] for i in range(len(idx.ids))}
    by_passage = [role[i] for i, _ in engine.retriever.dense(question, 5, None, idx)]
    assert by_passage[0] != "Network engineer", "the whole-passage vector prefers a passage that shares its words"
    added = dict.fromkeys(role, 0.0)
    engine.retriever._by_best_sentence(question, list(added), idx, added)
    assert role[max(added, key=added.get)] == "Network engineer"
