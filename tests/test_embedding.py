"""The ONNX embedder against sentence-transformers itself, and a question path that never imports torch."""

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from ingest.embedding import EmbedderError, packaged_model_path
from ingest.onnx_embedder import INT8, OnnxEmbedder, QuantizedOnnxEmbedder
from ingest.st_embedder import SentenceTransformerEmbedder
from ingest.store import ChunkStore, ModelMismatchError

from .conftest import cli_env


@pytest.fixture(scope="module")
def torch_embedder():
    return SentenceTransformerEmbedder(packaged_model_path())


def test_onnx_vectors_and_token_counts_match_sentence_transformers(store_settings, real_embedder, torch_embedder):
    assert isinstance(real_embedder, OnnxEmbedder), "onnx is the default engine"
    texts = [c.text for c in ChunkStore(store_settings, real_embedder).iter_chunks()]
    texts += ["", "SRE", "word " * 600]  # empty, one token, far past the 256-piece window (truncated alike)
    onnx, torch = real_embedder.encode(texts), torch_embedder.encode(texts)
    assert onnx.shape == torch.shape == (len(texts), 384)
    assert float(np.abs(onnx - torch).max()) <= 1e-4, "existing stores stay valid with either engine"
    assert [real_embedder.count_tokens(t) for t in texts] == [torch_embedder.count_tokens(t) for t in texts]
    assert (real_embedder.name, real_embedder.dimension, real_embedder.max_tokens) == (
        torch_embedder.name, torch_embedder.dimension, torch_embedder.max_tokens)
    query = "What does a site reliability engineer do?"
    assert np.abs(np.array(real_embedder.embed_query(query)) - torch_embedder.embed_query(query)).max() <= 1e-4


def test_export_is_made_once_and_bad_folders_say_why(tmp_path):
    folder = tmp_path / "minilm"
    shutil.copytree(packaged_model_path(), folder)
    first = OnnxEmbedder(folder, tmp_path / "onnx")
    assert first.file.exists() and [p.name for p in (tmp_path / "onnx").iterdir()] == [first.file.name]
    mtime = first.file.stat().st_mtime_ns
    assert OnnxEmbedder(folder, tmp_path / "onnx").file.stat().st_mtime_ns == mtime, "reused, not re-exported"
    pooling = folder / "1_Pooling" / "config.json"
    pooling.write_text(json.dumps(json.loads(pooling.read_text()) | {"pooling_mode_cls_token": True,
                                                                       "pooling_mode_mean_tokens": False}))
    with pytest.raises(EmbedderError, match="CAREERCHAT_EMBEDDER=torch"):
        OnnxEmbedder(folder, tmp_path / "onnx")
    (folder / "modules.json").unlink()
    with pytest.raises(EmbedderError, match="No usable sentence-transformers model"):
        OnnxEmbedder(folder, tmp_path / "onnx")


def test_the_question_path_never_imports_torch(store_settings, real_embedder):
    """Nor numba and scipy, which bm25s loads when installed but careerchat never uses (~0.23 s of a cold start);
    hidden only while bm25s imports, they still import afterwards for the evals (ranx needs numba)."""
    probe = ("import sys\nfrom bot.chat import Engine\nanswer = Engine().ask('What does an SRE do?')\n"
             "heavy = sorted({m.split('.')[0] for m in sys.modules}\n"
             "               & {'torch', 'sentence_transformers', 'transformers', 'numba', 'scipy'})\n"
             "import numba, scipy.sparse\n"
             "print(answer.citations[0].source, heavy)")
    result = subprocess.run([sys.executable, "-c", probe], env={**os.environ, **cli_env(store_settings)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("[]"), result.stdout


def test_int8_is_opt_in_with_vectors_of_its_own(store_settings, real_embedder, tmp_path):
    """About 2x the passage throughput, but its retrieval moved by more than 0.005 on the eval
    (docs/eval-runs/int8-quality.md): so a store made with it never takes fp32 vectors, and the reverse."""
    int8 = QuantizedOnnxEmbedder(packaged_model_path(), real_embedder.file.parent)
    assert int8.name == real_embedder.name + INT8 and int8.file.name.endswith(f"{INT8}.onnx")
    texts = [c.text for c in ChunkStore(store_settings, real_embedder).iter_chunks()][:40]
    cosine = (int8.encode(texts) * real_embedder.encode(texts)).sum(axis=1)
    assert 0.97 < float(cosine.min()) and float(cosine.mean()) < 0.9999, "close (per-channel MatMuls), not the same"
    with pytest.raises(ModelMismatchError, match="--reset"):
        ChunkStore(store_settings, int8).collection()


def test_bf16_passages_keep_the_fp32_vectors_and_load_torch_only_for_large_ingests(store_settings, real_embedder,
                                                                                  tmp_path):
    """bf16 passages (docs/eval-runs/bf16-quality.md): the same model's vectors to cosine 0.9999, so they share
    its name and store; torch is imported only when an ingest is large enough to win back its start."""
    from ingest.bf16_passages import AUTO_MIN_PASSAGES, native_bf16, wanted

    texts = [c.text for c in ChunkStore(store_settings, real_embedder).iter_chunks()][:40]
    fp32 = real_embedder.encode(texts)
    bf16 = OnnxEmbedder(packaged_model_path(), real_embedder.file.parent, passage_bf16="always")
    assert bf16.passage_precision == "fp32" and bf16.name == real_embedder.name
    bf16.expect(len(texts))
    assert bf16.passage_precision == "bf16"
    vectors = np.array(bf16.embed_documents(texts))
    cosine = (vectors * fp32).sum(axis=1)
    assert float(cosine.min()) > 0.9999 and float(np.abs(vectors - fp32).max()) > 1e-6, "bf16, and close to fp32"
    assert np.array_equal(bf16.embed_query(texts[0]), real_embedder.embed_query(texts[0])), "questions stay fp32"

    flags = tmp_path / "cpuinfo"
    flags.write_text("processor\t: 0\nflags\t\t: fpu sse avx2 avx512f\n")
    assert not native_bf16(flags) and not native_bf16(tmp_path / "missing")
    flags.write_text("processor\t: 0\nflags\t\t: fpu avx512f amx_bf16 amx_tile\n")
    assert native_bf16(flags)
    assert not wanted("never", 10**6) and wanted("always", 1) and not wanted("auto", AUTO_MIN_PASSAGES - 1)
    assert wanted("auto", AUTO_MIN_PASSAGES) == native_bf16()
    int8 = QuantizedOnnxEmbedder(packaged_model_path(), real_embedder.file.parent, passage_bf16="always")
    int8.expect(10**6)
    assert int8.passage_precision == "int8", "the int8 graph's vectors are its own: never mixed with bf16 ones"

    probe = ("import sys; from pathlib import Path; from bot.settings import BotSettings; "
             "from ingest.embedding import load_embedder; from ingest.pipeline import ingest\n"
             f"s = BotSettings(chroma_path=Path({str(tmp_path / 'small')!r}))\n"
             "r = ingest([s.corpus_dir], s, load_embedder(s), progress=False)\n"
             "print(r.added, 'torch' in sys.modules)")
    small = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300,
                           env={k: v for k, v in os.environ.items() if not k.startswith("CAREERCHAT_")})
    assert small.returncode == 0, small.stderr
    assert small.stdout.split()[-2:] == [str(len(list(ChunkStore(store_settings, real_embedder).iter_chunks()))),
                                         "False"], small.stdout
