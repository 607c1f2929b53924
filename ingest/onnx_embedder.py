"""The ``onnx`` embedder: the packaged sentence-transformers model run by onnxruntime, no torch on the way.

The model's transformer is exported to ONNX once, from the packaged weights and offline (torch is imported for
that export only), into ``CAREERCHAT_ONNX_DIR`` under a name keyed by the weights file, so every later process
starts in well under a second. Tokenizing (the ``tokenizers`` library, the same fast tokenizer
sentence-transformers uses), mean pooling and normalization are done here exactly as sentence-transformers
does them, so the vectors match its own to about 1e-7 (tested to <= 1e-4) and stores stay valid either way.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from ingest.embedding import Embedder, EmbedderError, ModelFolder, packaged_model_path
from ingest.settings import IngestSettings, PassageBf16

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
WEIGHTS = ("model.safetensors", "pytorch_model.bin")


def onnx_file(folder: ModelFolder, onnx_dir: Path) -> Path:
    """Where this folder's export lives: keyed by the weights' path, size and modification time."""
    weights = next((folder.path / w for w in WEIGHTS if (folder.path / w).exists()), None)
    if weights is None:
        raise EmbedderError(f"No model weights ({' or '.join(WEIGHTS)}) in {folder.path}")
    stat = weights.stat()
    key = hashlib.sha256(f"{weights.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    return onnx_dir / f"{folder.name}-{key}.onnx"


@contextmanager
def written_atomically(target: Path) -> Iterator[str]:
    """A temporary path beside ``target``, renamed onto it when the block succeeds: no process loads half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=target.suffix + ".tmp")
    os.close(fd)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def last_hidden_state(folder: ModelFolder):
    """The folder's transformer as a torch module from token ids to its last hidden state (what is exported)."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    bert = AutoModel.from_pretrained(str(folder.path), local_files_only=True).eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    return LastHiddenState()


def export(folder: ModelFolder, target: Path) -> None:
    """The transformer's last hidden state as an ONNX graph with dynamic batch and sequence axes."""
    import torch

    print(f"Exporting {folder.name} to ONNX once, from its packaged weights (about 10 s)...", file=sys.stderr)
    module = last_hidden_state(folder)
    sample = torch.ones(1, 8, dtype=torch.long)
    axes = {"batch": 0, "sequence": 1}
    dynamic = {name: {i: n for n, i in axes.items()} for name in (*INPUTS, "last_hidden_state")}
    with written_atomically(target) as temporary, torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about shape checks that hold for every input length
        torch.onnx.export(module, (sample, sample, torch.zeros_like(sample)), temporary,
                          input_names=list(INPUTS), output_names=["last_hidden_state"], dynamic_axes=dynamic,
                          opset_version=17, dynamo=False)


INT8 = "-int8mm"
"""Suffix of the int8 graph and of its vectors' model name. Per-channel weights of the MatMuls only (the embedding
table and attention softmax stay fp32) keep cosine to the fp32 vectors at 0.98 or more; per-tensor quantization of
every op fell to 0.87 (``docs/eval-runs/int8-quality.md``)."""


def quantize(source: Path, target: Path) -> None:
    """int8 weights: dynamic quantization of the exported graph's matrix products, one scale per output channel
    (``reduce_range`` keeps the products from saturating on CPUs without VNNI)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with written_atomically(target) as temporary:
        quantize_dynamic(source, temporary, weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                         op_types_to_quantize=["MatMul"])


class OnnxEmbedder(Embedder):
    quantized = False

    def __init__(self, path: Path, onnx_dir: Path, batch_size: int = 32, passage_bf16: PassageBf16 = "never") -> None:
        self.folder = ModelFolder.read(path)
        self.passage_bf16: PassageBf16 = "never" if self.quantized else passage_bf16
        self._passages: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None
        if not (self.folder.mean_pooling and self.folder.normalized):
            raise EmbedderError(f"{path} is not a mean-pooled, normalized model: use CAREERCHAT_EMBEDDER=torch")
        self.batch_size = batch_size
        self.file = onnx_file(self.folder, onnx_dir)
        if not self.file.exists():
            export(self.folder, self.file)
        if self.quantized:
            fp32, self.file = self.file, self.file.with_name(self.file.stem + INT8 + ".onnx")
            if not self.file.exists():
                quantize(fp32, self.file)
        options = ort.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Made in the background: the store and the index load meanwhile; the first encode waits for it.
        self._session = ThreadPoolExecutor(1).submit(ort.InferenceSession, str(self.file), options,
                                                     providers=["CPUExecutionProvider"])
        self._counter = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._counter.no_truncation()
        self._counter.no_padding()
        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tokenizer.enable_truncation(self.folder.max_seq_length)
        self._tokenizer.enable_padding(pad_id=self._tokenizer.token_to_id("[PAD]") or 0)

    @classmethod
    def from_settings(cls, settings: IngestSettings) -> OnnxEmbedder:
        return cls(Path(settings.embedding_model or packaged_model_path()), settings.onnx_dir,
                   batch_size=settings.embed_batch_size, passage_bf16=settings.passage_bf16)

    @property
    def session(self) -> ort.InferenceSession:
        return self._session.result()

    @property
    def name(self) -> str:
        """int8 vectors differ from the model's own (cosine 0.98 to 1): a store never mixes them."""
        return self.folder.name + (INT8 if self.quantized else "")

    @property
    def dimension(self) -> int:
        return self.folder.dimension

    @property
    def max_tokens(self) -> int:
        return self.folder.max_seq_length

    def count_tokens(self, text: str) -> int:
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def expect(self, passages: int) -> None:
        from ingest.bf16_passages import Bf16Encoder, wanted  # it builds on this module's export helpers

        if self._passages is None and wanted(self.passage_bf16, passages):
            self._passages = Bf16Encoder(self.folder, self.file).hidden

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts, self._passages or self._onnx_hidden).tolist()

    @property
    def passage_precision(self) -> str:
        return "int8" if self.quantized else "bf16" if self._passages else "fp32"

    def encode(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._onnx_hidden)

    def _onnx_hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                       "token_type_ids": np.zeros_like(ids)})[0]

    def _encode(self, texts: list[str], hidden: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
        """Batches of similar length (least padding), each mean-pooled over its real tokens, then normalized."""
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            encoded = self._tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden(ids, mask) * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            vectors[rows] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return vectors


class QuantizedOnnxEmbedder(OnnxEmbedder):
    """``onnx-int8``: about 2x the encoder's speed on passages, with vectors of its own (re-ingest to switch)."""

    quantized = True
