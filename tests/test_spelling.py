"""Misspelt role and aspect words are corrected towards the guides' headings and the vocabulary file only."""

import pytest

from bot.chat import Engine
from bot.spelling import Speller
from bot.text import stem


@pytest.fixture(scope="module")
def engine(store_settings, real_embedder) -> Engine:
    return Engine(store_settings, real_embedder)


def test_only_words_near_role_and_aspect_words_are_corrected():
    speller = Speller(["Data", "Scientist", "Scientists", "salary", "Frontend", "engineer"])
    corpus = frozenset(stem(w) for w in "layer managed front end data".split())
    assert speller.correct("what does a data scientst do? whats the salry", corpus) == \
        "what does a data scientist do? whats the salary"
    assert speller.correct("What does a lawyer do? I managed a team.", corpus) == \
        "What does a lawyer do? I managed a team.", "a word the guides use, or near no role word, stays"
    assert Speller(["analyst", "analysts"]).fix("analyts") == "analysts", "the one edit away"
    assert Speller(["designer", "designed"]).fix("designex") is None, "two candidates as close: no guess"
    near = Speller(["assurance", "compete", "training", "median"])
    assert near.correct("Insurance computer draining media", corpus) == "Insurance computer draining media", \
        "an English word is no typo of the role word it is close to"
    assert near.correct("Quality asurance", corpus) == "Quality assurance"


def test_a_misspelt_role_is_answered_about_that_role(engine):
    answer = engine.ask("what does a data scientst do?")
    assert answer.rewritten_query == "what does a data scientist do?"
    assert not answer.refused and answer.answer.startswith("**Data scientist")
    assert engine.ask("What does a lawyer do?").refused
