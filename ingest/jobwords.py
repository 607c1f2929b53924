"""The words that end a job title ("engineer", "analyst", "statistician"), read from the same vocabulary file the
bot uses, so that "one place for each rule" holds: ingest needs them to tell a role heading from a field heading,
and to find the job a heading names ("What does a robotics engineer actually do all day?")."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.settings import IngestSettings
from ingest.stopwords import STOPWORDS

_TOKENS = re.compile(r"[A-Za-z][\w&+'-]*|[^\w\s]")
NAME_WORDS = 2
"""Words a job name may have before its job word: "cloud security engineer"; "a future solutions architect" is
cut to the name another heading writes ("solutions architect")."""


def work_form(job: str) -> str | None:
    """The word for the work a job noun does: "writer" -> "writing", "auditor" -> "auditing"."""
    return f"{job[:-2]}ing" if job.endswith(("er", "or")) else None


@dataclass(frozen=True)
class JobWords:
    words: frozenset[str] = frozenset()
    """Lower-case words that end a job title."""
    endings: tuple[str, ...] = ()
    """Word endings that make a word a job by themselves ("-ician": "bioinformatician", "statistician")."""

    def work_of(self, word: str) -> str | None:
        """The job whose work a word names: "writing" -> "writer", "auditing" -> "auditor"."""
        word = word.lower()
        return next((job for job in self.words if work_form(job) == word), None)

    def is_job(self, word: str) -> bool:
        return word.lower().strip("().,:;?!") in self.words or self.job_by_ending(word)

    def job_by_ending(self, word: str) -> bool:
        """A job by its ending alone ("bioinformatician"), with no job word needed before it."""
        word = word.lower().strip("().,:;?!")
        return len(word) > 6 and word.endswith(self.endings)


@lru_cache
def job_words(path: Path | None = None) -> JobWords:
    """The vocabulary file's job words; an unreadable file means none (structure then falls back to shape alone)."""
    try:
        data = tomllib.loads((path or IngestSettings.model_fields["vocabulary"].default).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return JobWords()
    words = frozenset(w.lower() for table in ("role_suffixes", "role_nouns") for w in data.get(table, {}).get("words", []))
    return JobWords(words, tuple(w.lower() for w in data.get("role_endings", {}).get("words", [])))


def names_a_job(heading: str, words: JobWords) -> bool:
    """ "Frontend engineer", "Game Developers": the heading's last word is a job word."""
    last = heading.strip().rstrip(")").split()[-1:] if heading.strip() else []
    return bool(last) and words.is_job(last[0])


def introduced_job(heading: str, words: JobWords) -> str | None:
    """The job of a person a heading introduces ("Meet Dana, embedded firmware engineer"): the job after the last
    comma, where nothing before it is a job (not a list of jobs: "Writers, editors, designers")."""
    before, comma, job = heading.rpartition(",")
    job = job.strip()
    if comma and job and len(job.split()) <= NAME_WORDS + 1 and names_a_job(job, words) \
            and not any(words.is_job(w) for w in _TOKENS.findall(before)):
        return job
    return None


def lists_jobs(title: str, words: JobWords) -> bool:
    """A title naming several jobs ("Role comparison: developer advocate, release manager, CRM administrator") is
    about each of them, not one."""
    return sum(names_a_job(part, words) for part in re.split(r",|\band\b|&", title.rpartition(":")[2])) >= 2


def job_in(heading: str, words: JobWords) -> str | None:
    """The job a heading names within it ("Is an IT auditor just an accountant?" -> "IT auditor"): a job word and
    the words before it up to a function word (not one in capitals: "IT"), punctuation or ``NAME_WORDS``. A bare job word that is no job by its
    ending ("engineers") names no particular job. Else a job's work after a word qualifying it ("How do I get into
    technical writing?" -> "technical writer")."""
    tokens = _TOKENS.findall(heading)
    for at, token in enumerate(tokens):
        if not words.is_job(token):
            continue
        start = at
        while start > 0 and at - start < NAME_WORDS and tokens[start - 1][:1].isalpha() \
                and (tokens[start - 1].isupper() or tokens[start - 1].lower() not in STOPWORDS) \
                and not words.is_job(tokens[start - 1]):
            start -= 1
        if start < at or words.job_by_ending(token):
            return " ".join(tokens[start:at + 1])
    for at, token in enumerate(tokens[1:], 1):
        before = tokens[at - 1]
        if (job := words.work_of(token)) and before[:1].isalpha() and (before.isupper() or before.lower() not in STOPWORDS):
            return f"{before} {job}"
    return None
