"""Tell a question in another language from a short English one, so it gets "please ask in English", not a refusal.

langdetect is unreliable on a few words ("SRE or backend?" reads as Danish), so it decides only when it is
sure, the question is long enough, and hardly any English function words are in it.
"""

from __future__ import annotations

from langdetect import DetectorFactory, LangDetectException, detect_langs

from bot.text import STOPWORDS, words

DetectorFactory.seed = 0
MIN_WORDS = 4
MIN_PROBABILITY = 0.95
MAX_ENGLISH_SHARE = 0.2

ASK_IN_ENGLISH = "The career guides are in English — please ask your question in English."


def is_foreign(question: str) -> bool:
    found = words(question)
    if len(found) < MIN_WORDS:
        return False
    if sum(w in STOPWORDS for w in found) / len(found) > MAX_ENGLISH_SHARE:
        return False
    try:
        best = detect_langs(question)[0]
    except LangDetectException:
        return False
    return best.lang != "en" and best.prob >= MIN_PROBABILITY
