"""Passages through torch in bfloat16 on CPUs that multiply bf16 natively (AMX or AVX512-BF16).

The fp32 encoder is the ingest's bottleneck. Traced under torch's bfloat16 autocast, the model's matrix
products run on the CPU's bf16 units with fp32 accumulation: about 2.5x the passages a second here, vectors
within cosine 0.99997 of the fp32 ones (tested), so they keep the model's name and a store mixes them with fp32
vectors and fp32 questions (``docs/eval-runs/bf16-quality.md``). The trace is made once from the packaged
weights and kept beside the ONNX export; loading it needs torch alone (about 1 s, not the 5 s of
sentence-transformers), which ``auto`` spends only on ingests large enough to win it back. Questions are always
embedded by the fp32 ONNX graph, which never imports torch.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np

from ingest.embedding import ModelFolder
from ingest.onnx_embedder import last_hidden_state, written_atomically
from ingest.settings import PassageBf16

AUTO_MIN_PASSAGES = 500
"""Below this many new passages, loading torch (about 1 s) saves nothing at this machine's fp32 speed."""

NATIVE_FLAGS = {"amx_bf16", "avx512_bf16"}

LENGTH_STEP = 64
"""Batches are padded to a multiple of this many word pieces: oneDNN keeps a kernel, with its own copy of the
weights in the bf16 units' layout, for every input shape it meets, and a length per batch took a 10k-passage
ingest's peak memory from 1.0 to 3.1 GB (padded: 1.7 GB on 3,000 passages instead of 2.8, and no slower)."""


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


def trace(folder: ModelFolder, target: Path) -> None:
    """TorchScript of the last hidden state, traced under bf16 autocast so its casts are part of the graph."""
    import torch

    print(f"Tracing {folder.name} for bf16 passages once, from its packaged weights (about 5 s)...", file=sys.stderr)
    module = last_hidden_state(folder)
    sample = torch.randint(1000, 5000, (4, 48))
    torch._C._jit_set_autocast_mode(False)  # record autocast's casts in the trace instead of re-applying them
    with (written_atomically(target) as temporary, torch.no_grad(),
          torch.autocast("cpu", dtype=torch.bfloat16), warnings.catch_warnings()):
        warnings.simplefilter("ignore")  # tracer notes about shape checks that hold for every input length
        torch.jit.save(torch.jit.trace(module, (sample, torch.ones_like(sample), torch.zeros_like(sample)),
                                       check_trace=False), temporary)


class Bf16Encoder:
    """The traced bf16 graph of ``folder``: token ids and mask in, fp32 last hidden state out."""

    def __init__(self, folder: ModelFolder, onnx_export: Path) -> None:
        import torch

        self._torch = torch
        self.file = onnx_export.with_name(onnx_export.stem + "-bf16.pt")
        if not self.file.exists():
            trace(folder, self.file)
        with warnings.catch_warnings():
            # TorchScript is deprecated for torch.export, which drops autocast's casts (fp32 vectors, 147/s here).
            warnings.simplefilter("ignore", DeprecationWarning)
            self.model = torch.jit.load(str(self.file)).eval()

    def hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        length = ids.shape[1]
        extra = ((0, 0), (0, -length % LENGTH_STEP))
        ids_, mask_ = self._torch.from_numpy(np.pad(ids, extra)), self._torch.from_numpy(np.pad(mask, extra))
        with self._torch.inference_mode():
            return self.model(ids_, mask_, self._torch.zeros_like(ids_))[:, :length].float().numpy()
