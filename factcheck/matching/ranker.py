"""The learned re-ranker: a logistic regression over a dozen features of a
(message, fact-check) pair, giving the probability that the fact-check answers
the message.  Weights and decision thresholds ship in ``weights.json``, written
by ``python -m factcheck.matching.train``.

Two models ship: ``full`` (with the embedding features) and ``lexical`` (for when
the embedding model cannot load), each with its own thresholds, because a model
trained with the cosine features is not calibrated when they are missing.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

WEIGHTS_FILE = Path(__file__).with_name("weights.json")

FEATURES_LEXICAL: tuple[str, ...] = (
    "lex_log",  # log1p of the field-weighted BM25 score
    "lex_rel",  # BM25 score / best BM25 score for this message
    "lex_rank",  # log1p of the rank by BM25 within the candidates
    "title_rel",  # title BM25 / best title BM25
    "chars_rel",  # character 4-gram BM25 / best
    "cover_doc",  # IDF-weighted share of the fact-check's title terms in the message
    "cover_query",  # IDF-weighted share of the message's terms in the fact-check
    "rare_shared",  # log1p of shared rare terms (names, places)
    "num_hit",  # share of the fact-check's numbers found in the message
    "num_miss",  # 1 if the fact-check has numbers and none is in the message
    "query_len",  # log1p of the number of message terms
)
FEATURES_SEMANTIC: tuple[str, ...] = (
    "cos",  # cosine similarity of the e5 embeddings
    "cos_gap",  # cosine - best cosine for this message
    "cos_rank",  # log1p of the rank by cosine within the candidates
)
FEATURES_FULL = FEATURES_LEXICAL + FEATURES_SEMANTIC
CLIP = 4.0


@dataclass(slots=True)
class LogisticModel:
    """p = sigmoid(w . clip((x - mean) / scale) + b).  Standardised features are
    clipped to +-CLIP so that one value far outside the training range (an odd
    embedding, a huge BM25 score) cannot overrule all the others."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    match_threshold: float
    suggest_threshold: float
    match_confidence: float | None = None
    """When set (by ``retrain_matcher`` from a deployment's pairs), ``match``
    is decided on ``confidence()`` (the best score and its lead over the next)
    instead of on the best score alone; see ``learning.py``."""

    def predict(self, x: np.ndarray) -> np.ndarray:
        z = np.clip((x - self.mean) / self.scale, -CLIP, CLIP) @ self.weights
        z = z + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "weights": [round(float(v), 6) for v in self.weights],
            "bias": round(float(self.bias), 6),
            "match_threshold": round(float(self.match_threshold), 4),
            "suggest_threshold": round(float(self.suggest_threshold), 4),
        } | (
            {"match_confidence": round(float(self.match_confidence), 4)}
            if self.match_confidence is not None
            else {}
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LogisticModel:
        return cls(
            features=tuple(data["features"]),
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=float(data["bias"]),
            match_threshold=float(data["match_threshold"]),
            suggest_threshold=float(data["suggest_threshold"]),
            match_confidence=(
                float(data["match_confidence"])
                if data.get("match_confidence") is not None
                else None
            ),
        )


def confidence(best: float, second: float) -> float:
    """How sure the top fact-check is: the geometric mean of its score and of
    its lead over the runner-up (a clear winner is sure at a lower score;
    two close candidates are not, however high)."""
    return math.sqrt(max(best, 0.0) * max(best - second, 0.0))


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    features: tuple[str, ...],
    *,
    l2: float = 1.0,
    sample_weight: np.ndarray | None = None,
) -> LogisticModel:
    """L2-regularised logistic regression (L-BFGS on standardised features)."""
    from scipy.optimize import minimize

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    xs = np.clip((x - mean) / scale, -CLIP, CLIP)
    w8 = np.ones(len(y)) if sample_weight is None else sample_weight
    total = w8.sum()

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:-1], params[-1]
        z = xs @ w + b
        # log(1 + e^z) - y z, computed stably
        nll = np.logaddexp(0.0, z) - y * z
        p = 1.0 / (1.0 + np.exp(-z))
        g = (p - y) * w8
        value = float((w8 * nll).sum() / total + 0.5 * l2 * (w @ w) / total)
        grad = np.concatenate([(xs.T @ g + l2 * w) / total, [g.sum() / total]])
        return value, grad

    result = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B")
    params = result.x
    return LogisticModel(
        features, mean, scale, params[:-1], float(params[-1]), 0.5, 0.1
    )


def load_models(path: Path = WEIGHTS_FILE) -> dict[str, LogisticModel]:
    """The shipped models; hand-set fallbacks if the file is missing (before the
    first training run), so the engine still ranks sensibly."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {name: LogisticModel.from_json(m) for name, m in data["models"].items()}
    except (OSError, KeyError, ValueError):
        return {
            "full": _fallback(FEATURES_FULL),
            "lexical": _fallback(FEATURES_LEXICAL),
        }


def _fallback(features: tuple[str, ...]) -> LogisticModel:
    hand = {"lex_rel": 3.0, "cover_doc": 3.0, "cos_gap": 10.0, "lex_rank": -1.0}
    n = len(features)
    return LogisticModel(
        features,
        np.zeros(n),
        np.ones(n),
        np.array([hand.get(f, 0.0) for f in features]),
        -4.0,
        0.9,
        0.2,
    )


def _load_thresholds() -> tuple[float, float, float, float]:
    try:
        models = load_models()
        full, lexical = models["full"], models["lexical"]
    except (OSError, KeyError, ValueError):  # before the first training run
        return 0.9, 0.2, 0.9, 0.2
    return (
        full.match_threshold,
        full.suggest_threshold,
        lexical.match_threshold,
        lexical.suggest_threshold,
    )


(
    MATCH_THRESHOLD,
    SUGGEST_THRESHOLD,
    LEXICAL_MATCH_THRESHOLD,
    LEXICAL_SUGGEST_THRESHOLD,
) = _load_thresholds()
"""Decision thresholds on the top score, chosen by ``train.py`` on held-out
queries: ``match`` where the top fact-check was right at least 97% of the time,
``suggest`` where a right one was usually among the candidates."""
