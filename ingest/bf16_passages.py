"""Passages through torch in bfloat16 on CPUs that multiply bf16 natively (AMX or AVX512-BF16).

The fp32 encoder is the ingest's bottleneck (the rest of an ingest is a few percent of it). Under torch's
bfloat16 autocast, oneDNN runs the model's matrix products on the CPU's bf16 units with fp32 accumulation:
about 2.7x the passages a second here, vectors within cosine 0.99997 of the fp32 ones (tested), so they share
the model's name and a store mixes them with fp32 vectors and fp32 questions. Importing torch and loading the
model costs about 3 s, so ``auto`` switches only for ingests large enough to win it back; questions are always
embedded by the fp32 ONNX graph, which never imports torch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np

PassageBf16 = Literal["auto", "always", "never"]

AUTO_MIN_PASSAGES = 500
"""Below this many new passages, importing torch (about 3 s) costs more than bf16 saves at this machine's speed."""

NATIVE_FLAGS = {"amx_bf16", "avx512_bf16"}


def native_bf16(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """The CPU has bf16 matrix units; without them bf16 is emulated and slower than fp32."""
    try:
        text = cpuinfo.read_text()
    except OSError:
        return False
    flags = next((line.split(":", 1)[1].split() for line in text.splitlines() if line.startswith("flags")), [])
    return bool(NATIVE_FLAGS & set(flags))


def wanted(mode: PassageBf16, passages: int) -> bool:
    if mode == "never":
        return False
    return mode == "always" or (passages >= AUTO_MIN_PASSAGES and native_bf16())


class Bf16PassageEncoder:
    """sentence-transformers on ``path`` under bfloat16 autocast: unit-length float32 rows, one per passage."""

    def __init__(self, path: Path, batch_size: int) -> None:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        self._torch = torch
        self.batch_size = batch_size
        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        with self._torch.inference_mode(), self._torch.autocast("cpu", dtype=self._torch.bfloat16):
            vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                        convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32)
