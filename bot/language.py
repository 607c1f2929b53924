"""Tell a question in another language from a short English one, so it gets "please ask in English", not a refusal.

langdetect is unreliable on a few words ("SRE or backend?" reads as Danish), so it decides only when it is
sure, the question is long enough, and hardly any English function words are in it.
"""

from __future__ import annotations

from langdetect import DetectorFactory, LangDetectException, detect_langs

from bot.text import STOPWORDS, stem, words

DetectorFactory.seed = 0
MIN_WORDS = 4
MIN_PROBABILITY = 0.95
MAX_ENGLISH_SHARE = 0.2
MAX_CORPUS_SHARE = 0.5

ASK_IN_ENGLISH = "The career guides are in English — please ask your question in English."


def is_foreign(question: str, corpus_stems: frozenset[str] = frozenset()) -> bool:
    """``corpus_stems``: the guides' own words; a keyword question made of them ("mobile dev starter project
    ideas?", which langdetect calls Romanian) is English."""
    found = words(question)
    if len(found) < MIN_WORDS:
        return False
    if sum(w in STOPWORDS for w in found) / len(found) > MAX_ENGLISH_SHARE:
        return False
    if sum(stem(w) in corpus_stems for w in found) / len(found) > MAX_CORPUS_SHARE:
        return False
    try:
        found_languages = detect_langs(question)
    except LangDetectException:
        return False
    # Sure it is not English, even when unsure which other language ("¿Qué hace...?": French 0.57, Spanish 0.43).
    return sum(lang.prob for lang in found_languages if lang.lang != "en") >= MIN_PROBABILITY
