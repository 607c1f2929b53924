"""Sentence choice by meaning: the real packaged embedder scores how close each sentence is to the question."""

from __future__ import annotations

from bot.generators.base import GenerationRequest
from bot.generators.extractive import ExtractiveGenerator, candidates
from bot.models import Passage
from bot.relevance import SentenceRelevance
from bot.vocabulary import load_vocabulary

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
