"""The Chroma collection that holds passages, their vectors and their metadata.

One class hides whether Chroma runs embedded (a folder) or as a ``chroma run`` server (a URL), and
guards the one invariant that matters: every vector in a collection comes from the same model.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
from chromadb.config import Settings as ChromaSettings  # noqa: E402
from langchain_chroma import Chroma  # noqa: E402

from ingest.embedding import Embedder  # noqa: E402
from ingest.settings import IngestSettings  # noqa: E402

PAGE = 5000


def cosine_similarity(distance: float) -> float:
    """Chroma returns cosine distances (lower is closer); everything downstream reasons in similarities."""
    return 1.0 - distance


class StoreError(Exception):
    """A store problem explained for a person, with what to do about it."""


class StoreUnavailableError(StoreError):
    """The store went away mid-session (a `chroma run` server stopped); retrying later can succeed."""


class StoreMissingError(StoreError):
    pass


class ModelMismatchError(StoreError):
    pass


@dataclass(frozen=True)
class StoredChunk:
    id: str
    text: str
    metadata: dict[str, Any]


def connect(settings: IngestSettings) -> chromadb.ClientAPI:
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.chroma_url:
            url = urlparse(settings.chroma_url)
            if not url.hostname:
                raise StoreError(f"CAREERCHAT_CHROMA_URL={settings.chroma_url!r} is not a URL like http://127.0.0.1:8000")
            client = chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
            return client
        settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
    except StoreError:
        raise
    except Exception as exc:
        if settings.chroma_url:
            raise unreachable(settings, exc) from exc
        raise StoreError(
            f"Cannot open the Chroma store at {settings.chroma_path} ({exc}). "
            "If it is corrupt, rebuild it with `careerchat ingest --reset`."
        ) from exc


def unreachable(settings: IngestSettings, exc: Exception) -> StoreUnavailableError:
    return StoreUnavailableError(
        f"Cannot reach the Chroma server at {settings.chroma_url} ({type(exc).__name__}). "
        "Start it with `chroma run --path DIR --host 127.0.0.1 --port PORT` or unset CAREERCHAT_CHROMA_URL; "
        "questions work again as soon as it is back."
    )


class ChunkStore:
    def __init__(self, settings: IngestSettings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self.client = connect(settings)
        self._collection: chromadb.Collection | None = None

    @property
    def location(self) -> str:
        return self.settings.store_location

    def _expected_metadata(self) -> dict[str, Any]:
        return {"embedding_model": self.embedder.name, "embedding_dimension": self.embedder.dimension}

    def collection(self, create: bool = False) -> chromadb.Collection:
        if self._collection is not None:
            return self._collection
        try:
            if create:
                collection = self.client.get_or_create_collection(
                    self.settings.collection,
                    metadata=self._expected_metadata(),
                    configuration={"hnsw": {"space": "cosine"}},
                    embedding_function=None,
                )
            else:
                collection = self.client.get_collection(self.settings.collection, embedding_function=None)
        except StoreError:
            raise
        except Exception as exc:
            if not create and "does not exist" in str(exc).lower():
                raise StoreMissingError(
                    f"No corpus has been ingested into {self.location} yet. Run `careerchat ingest` first."
                ) from exc
            raise StoreError(f"Cannot open collection '{self.settings.collection}' at {self.location}: {exc}") from exc
        self._check_model(collection)
        self._collection = collection
        return collection

    def _check_model(self, collection: chromadb.Collection) -> None:
        stored = collection.metadata or {}
        expected = self._expected_metadata()
        if any(stored.get(key) != value for key, value in expected.items()):
            raise ModelMismatchError(
                f"The store at {self.location} was built with embedding model "
                f"{stored.get('embedding_model')!r} ({stored.get('embedding_dimension')} dims), not "
                f"{expected['embedding_model']!r} ({expected['embedding_dimension']} dims). "
                "Re-ingest with `careerchat ingest --reset`."
            )

    def exists(self) -> bool:
        try:
            self.collection()
        except StoreMissingError:
            return False
        return True

    def reset(self) -> None:
        self._collection = None
        try:
            self.client.delete_collection(self.settings.collection)
        except Exception as exc:
            if "does not exist" not in str(exc).lower():
                raise StoreError(f"Cannot delete collection '{self.settings.collection}': {exc}") from exc

    @contextmanager
    def reachable(self) -> Iterator[None]:
        """A server that stops mid-session becomes a StoreUnavailableError, not a transport traceback."""
        try:
            yield
        except StoreError:
            raise
        except Exception as exc:
            if not self.settings.chroma_url:
                raise
            raise unreachable(self.settings, exc) from exc

    def version(self) -> str:
        """The id of the last ingest that changed anything: a serving process rebuilds on change. Read before every
        question, so it is one metadata read; counting the rows instead scans all of them (~70 ms at 1M chunks).
        A store no ingest has versioned yet (written by other means) is known by its row count."""
        self.collection()
        with self.reachable():
            fresh = self.client.get_collection(self.settings.collection, embedding_function=None)
            version = str((fresh.metadata or {}).get("version", ""))
            return version or f"{fresh.count()} rows"

    def bump_version(self) -> None:
        """Record that the content changed (an edit can keep the chunk count the same)."""
        collection = self.collection(create=True)
        with self.reachable():
            collection.modify(metadata={**(collection.metadata or {}), "version": uuid.uuid4().hex})

    def count(self) -> int:
        with self.reachable():
            return self.collection().count()

    def iter_chunks(self, include_documents: bool = True) -> Iterator[StoredChunk]:
        include = ["metadatas", "documents"] if include_documents else ["metadatas"]
        collection = self.collection()
        offset = 0
        while True:
            with self.reachable():
                page = collection.get(include=include, limit=PAGE, offset=offset)
            documents = page.get("documents") or [""] * len(page["ids"])
            for id_, text, meta in zip(page["ids"], documents, page["metadatas"] or [], strict=True):
                yield StoredChunk(id_, text or "", dict(meta or {}))
            if len(page["ids"]) < PAGE:
                return
            offset += PAGE

    def chunks_of(self, source: str) -> list[StoredChunk]:
        """Every chunk of one document, in reading order (a Chroma ``where`` filter, not a scan)."""
        with self.reachable():
            page = self.collection().get(where={"source": source}, include=["metadatas", "documents"])
        found = [StoredChunk(i, t or "", dict(m or {}))
                 for i, t, m in zip(page["ids"], page["documents"] or [], page["metadatas"] or [], strict=True)]
        return sorted(found, key=lambda c: (int(c.metadata.get("start", 0)), int(c.metadata.get("chunk_index", 0))))

    def upsert(
        self, ids: Sequence[str], embeddings: Sequence[Sequence[float]], texts: Sequence[str], metadatas: Sequence[dict]
    ) -> None:
        with self.reachable():
            self.collection(create=True).upsert(
                ids=list(ids), embeddings=[list(e) for e in embeddings], documents=list(texts), metadatas=list(metadatas)
            )

    def update_metadata(self, ids: Sequence[str], metadatas: Sequence[dict]) -> None:
        for i in range(0, len(ids), PAGE):
            with self.reachable():
                self.collection().update(ids=list(ids[i : i + PAGE]), metadatas=list(metadatas[i : i + PAGE]))

    def delete(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), PAGE):
            with self.reachable():
                self.collection().delete(ids=list(ids[i : i + PAGE]))

    def vectorstore(self) -> Chroma:
        """The same collection seen through langchain-chroma, queried with our embedder."""
        self.collection()
        return Chroma(
            client=self.client,
            collection_name=self.settings.collection,
            embedding_function=self.embedder,
            collection_metadata=self._expected_metadata(),
            relevance_score_fn=cosine_similarity,
        )
