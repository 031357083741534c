"""Near-duplicate grouping of tips: MinHash over character shingles.

Plain Python (no Django import). The same rumour forwarded by many people arrives
with small differences: a "Forwarded many times" line, emojis, a link added, a
few words changed or cut. Normalised text → character 5-gram shingles → a MinHash
signature of ``NUM_PERM`` integers, which is stored with each claim; the
estimated Jaccard similarity of two signatures decides whether a new tip joins
an existing claim.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TypeVar

K = TypeVar("K")

NUM_PERM = 64
SHINGLE = 5
MAX_CHARS = 1500  # enough to tell a story apart; bounds the work per tip
THRESHOLD = 0.45  # estimated Jaccard at and above which two tips are one claim
_PRIME = (1 << 61) - 1
_MAX_HASH = (1 << 32) - 1
_rng = random.Random(20240712)  # fixed: signatures must stay comparable
_PERMS = [
    (_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(NUM_PERM)
]

_NOISE = re.compile(
    r"(diteruskan( berkali[- ]kali)?|forwarded( many times)?|"
    r"sebarkan!*|viralkan!*|share( ke grup)?|copas|copy ?paste|dari grup sebelah)",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


def normalize(text: str) -> str:
    """Lower case, links reduced to their host, forwarding noise, emojis and
    punctuation removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _URL.sub(lambda m: " " + _host(m.group(0)) + " ", text)
    text = _NOISE.sub(" ", text)
    text = "".join(
        ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text.lower()
    )
    return " ".join(text.split())


def _host(url: str) -> str:
    rest = re.sub(r"^(https?://)?(www\.)?", "", url, flags=re.IGNORECASE)
    return rest.split("/", 1)[0]


def shingles(text: str) -> set[int]:
    """32-bit hashes of the character 5-grams of the normalised text."""
    norm = normalize(text)[:MAX_CHARS]
    if not norm:
        return set()
    if len(norm) <= SHINGLE:
        grams: Iterable[str] = [norm]
    else:
        grams = (norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1))
    return {
        int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "big")
        for g in grams
    }


def minhash(text: str) -> list[int]:
    """The MinHash signature of ``text`` (``NUM_PERM`` integers; empty if no text)."""
    values = shingles(text)
    if not values:
        return []
    return [min(((a * v + b) % _PRIME) & _MAX_HASH for v in values) for a, b in _PERMS]


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


def best_match(
    signature: Sequence[int],
    candidates: Iterable[tuple[K, Sequence[int]]],
    *,
    threshold: float = THRESHOLD,
) -> tuple[K, float] | None:
    """The most similar candidate at or above ``threshold``, with its similarity."""
    best: tuple[K, float] | None = None
    for key, other in candidates:
        score = similarity(signature, other)
        if score >= threshold and (best is None or score > best[1]):
            best = (key, score)
    return best


def cluster(texts: Sequence[str], *, threshold: float = THRESHOLD) -> list[int]:
    """Group texts greedily in order: each joins the most similar earlier group
    (compared with the group's first text) or starts a new one. Returns one group
    number per text."""
    heads: list[tuple[int, list[int]]] = []
    labels: list[int] = []
    for text in texts:
        sig = minhash(text)
        found = best_match(sig, heads, threshold=threshold) if sig else None
        if found is None:
            label = len(heads)
            heads.append((label, sig))
        else:
            label = found[0]
        labels.append(label)
    return labels
