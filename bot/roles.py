"""The corpus's roles and the names people use for them ("SRE" = "site reliability", "PM", "ML", ...).

One table serves three jobs: expanding a query with the corpus's own wording, telling which roles a
question compares, and telling which roles a passage is about (from its ``role``/``section`` metadata).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    pattern: re.Pattern[str]
    expansion: str
    """Words the corpus itself uses for the role: appended to the query so BM25 and embeddings find it."""


def _role(key: str, label: str, pattern: str, expansion: str) -> Role:
    return Role(key, label, re.compile(pattern, re.IGNORECASE), expansion)


ROLES: tuple[Role, ...] = (
    _role("tpm", "technical product manager", r"\btpms?\b|technical (product|program) manag", "Technical Product Managers"),
    _role("product_ops", "product operations manager", r"product op(eration)?s\b", "Product Operations Managers"),
    _role("pm", "product manager", r"(?<!technical )\bproduct manag|\bpms?\b|\bcpo\b", "Product Managers PMs"),
    _role("designer", "product designer", r"\b(product|ux|ui|visual) designers?\b|\bdesigners?\b", "Product Designers"),
    _role("ux_research", "UX researcher", r"\b(ux|user) research", "UX Researchers"),
    _role("frontend", "frontend engineer", r"\bfront[ -]?end\b|\bui (engineer|developer)s?\b", "Frontend engineering"),
    _role("backend", "backend engineer", r"\bback[ -]?end\b|server[- ]side", "Backend engineering"),
    _role("fullstack", "full-stack engineer", r"\bfull[ -]?stack\b", "Full-stack Engineers"),
    _role("mobile", "mobile engineer", r"\bmobile\b|\b(ios|android)\b|app developer", "Mobile Engineers development"),
    _role("sre", "SRE / DevOps / platform engineer",
          r"\bsres?\b|site reliability|\bdev ?ops\b|\bplatform\b|infrastructure engineer|cloud engineer|\binfra\b",
          "SRE DevOps Platform Cloud infrastructure"),
    _role("qa", "QA / test engineer", r"\bqa\b|quality assurance|\btesters?\b|test automation|\bsdets?\b|engineers? in test",
          "QA Test Automation Engineers"),
    _role("security", "security engineer", r"\bsecurity\b|cyber ?security|\bappsec\b|\binfosec\b|pen(etration)? ?test",
          "Security Engineers Cybersecurity"),
    _role("data_engineer", "data engineer", r"\bdata engineer", "Data Engineers data engineering"),
    _role("analyst", "data analyst", r"\b(data |bi |business intelligence )?analysts?\b", "Data Analysts BI Analysts"),
    _role("data_scientist", "data scientist", r"\bdata scien", "Data Scientists data science"),
    _role("mlops", "MLOps engineer", r"\bml ?ops\b", "MLOps Engineers"),
    _role("ml_engineer", "machine learning engineer", r"\bml\b(?! ?ops)|machine learning", "Machine Learning Engineers ML"),
    _role("ai_engineer", "AI engineer", r"\bai engineer|\bgen ?ai\b|\bllms?\b|prompt engineer|generative ai|\bai/genai",
          "AI Engineers LLMs GenAI"),
    _role("sales_engineer", "sales engineer", r"\bsales engineer|solutions? engineer|pre-?sales", "Sales engineer"),
    _role("product_engineer", "product engineer", r"\bproduct engineer", "Product engineer"),
    _role("support_engineer", "support engineer", r"\bsupport engineer|application support", "Application support engineer"),
)
BY_KEY = {role.key: role for role in ROLES}


def roles_in(text: str) -> list[Role]:
    """Roles a text mentions, in order of first mention."""
    found: list[tuple[int, Role]] = []
    for role in ROLES:
        match = role.pattern.search(text)
        if match:
            found.append((match.start(), role))
    keys = {r.key for _, r in found}
    # "technical product manager" must not also count as a plain PM; "data analyst" is not a generic analyst twice.
    if "tpm" in keys:
        found = [(p, r) for p, r in found if r.key != "pm" or _mentions_plain_pm(text)]
    return [role for _, role in sorted(found, key=lambda pair: pair[0])]


def _mentions_plain_pm(text: str) -> bool:
    stripped = BY_KEY["tpm"].pattern.sub(" ", text)
    return bool(BY_KEY["pm"].pattern.search(stripped))


def passage_roles(role: str, section: str, text: str = "") -> set[str]:
    """Role keys a passage is about: its role heading, else what its section path and text name."""
    return {r.key for r in roles_in(role)} if role else {r.key for r in roles_in(f"{section}\n{text}")}


def expand(query: str) -> str:
    """The query plus the corpus's own words for each role it mentions."""
    extra = " ".join(role.expansion for role in roles_in(query))
    return f"{query} {extra}".strip()
