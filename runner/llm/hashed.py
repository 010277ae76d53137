"""Hashed character n-gram embeddings, computed in process: no model, no calls.

The offline policy's embeddings, and those of every backend without an ``embedding.model``.
"""

from __future__ import annotations

import hashlib

import numpy as np

EMBED_DIM = 64  # small: retrieval over 100k memories stays within a few ms


def hashed_embed(texts: list[str]) -> np.ndarray:
    """Hashed character uni- and bigrams, L2-normalised: works for Chinese and English."""
    out = np.zeros((len(texts), EMBED_DIM), dtype=np.float32)
    for row, text in enumerate(texts):
        text = text.lower()
        grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
        for gram in grams:
            if gram.strip():
                h = hashlib.blake2b(gram.encode(), digest_size=4).digest()
                out[row, int.from_bytes(h, "big") % EMBED_DIM] += 1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)
