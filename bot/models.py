"""Typed records the bot hands to the UI, the CLI and the evals."""

from __future__ import annotations

from langchain_core.messages import AIMessage
from pydantic import BaseModel, Field

ANSWER_METADATA = "careerchat"
"""Key of an answer's own record in its chat message's ``response_metadata``."""


def headings_of(section: str, field: str) -> str:
    """What a passage's headings say: its section path, and its field where the path does not end in it (a table
    row's field is the columns it states: "Typical day, Salary range")."""
    return f"{section} > {field}" if field and not section.endswith(field) else section


class Passage(BaseModel):
    """A retrieved chunk with the evidence of why it was retrieved."""

    id: str
    text: str
    source: str
    section: str
    role: str = ""
    field: str = ""
    title: str = ""
    score: float = 0.0
    dense: float | None = None
    lexical: float | None = None
    roles: list[str] = Field(default_factory=list, description="Role keys of its role heading: what it is about.")
    mentioned: list[str] = Field(default_factory=list, description="Role keys it is about or names in its text.")

    @property
    def headings(self) -> str:
        return headings_of(self.section, self.field)


class Citation(BaseModel):
    n: int
    id: str = Field("", description="Chunk id of the cited passage: what the citation viewer opens.")
    source: str
    section: str
    role: str = Field("", description="The role heading the passage sits under, empty for a cross-cutting one.")
    title: str = Field("", description="The guide's title: the heading of a passage that sits under no other.")
    text: str
    score: float
    support: list[tuple[int, int]] = Field(default_factory=list, description="Character spans of `text` that back the answer.")

    @property
    def place(self) -> str:
        """Where a reader finds the passage: its guide and section ("Introduction" for a guide's opening lines)."""
        return f"{self.source} — {self.section or 'Introduction'}"


class AnswerOptions(BaseModel):
    """The settings an answer was made with, kept so an export or a shared link says how it came about."""

    backend: str
    k: int
    source: str | None = Field(None, description="The one guide the answer was limited to, if any.")


class Answer(BaseModel):
    question: str
    answer: str
    refused: bool
    rewritten_query: str
    citations: list[Citation] = Field(default_factory=list)
    backend: str
    timings: dict[str, float] = Field(default_factory=dict)
    notice: str | None = None
    dropped_sentences: list[str] = Field(default_factory=list)
    retrieved: list[str] = Field(default_factory=list, description="Ids of the passages retrieved, best first.")
    options: AnswerOptions | None = None

    def to_message(self) -> AIMessage:
        """The answer as chat history: its text, plus the stand-alone query a follow-up condenses from and the
        citations (so a ``RunnableWithMessageHistory`` history keeps what the answer was based on)."""
        record = {"rewritten_query": self.rewritten_query, "refused": self.refused,
                  "citations": [c.model_dump() for c in self.citations]}
        return AIMessage(self.answer, response_metadata={ANSWER_METADATA: record})

    def public(self) -> dict:
        """The `chat --json` object: exactly the documented keys."""
        keys = ("question", "answer", "refused", "rewritten_query", "citations", "backend", "timings")
        data = self.model_dump(include=set(keys))
        if self.notice:
            data["notice"] = self.notice
        return data
