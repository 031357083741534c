"""Learning from a deployment's labelled pairs (plain Python, no Django).

A labelled pair says "this message is answered by this fact-check" (its sender
confirmed it, or the desk linked it).  ``manage.py retrain_matcher`` collects the
engine's candidates for each labelled message and uses this module to:

- re-fit the re-ranker *from the shipped weights*: a logistic regression whose
  weights are pulled towards the shipped ones (an L2 prior centred on them, in
  the shipped standardisation), so that a few dozen pairs adjust the model
  rather than replace what it learned from thousands of messages;
- score every message out of fold (each fold by a model fitted on the others)
  and compare with the model in use on the very same messages;
- calibrate the ``match``/``suggest`` thresholds on the out-of-fold scores of
  the deployment's own pairs: ``match`` stays at least 97% right on at least 20
  held-out messages with as much coverage as possible; with fewer than 40
  labelled pairs the current thresholds are kept.

The "current" model may have seen the shared messages (the shipped model was
trained on them) or earlier pairs: its figures are then in-sample and flattering,
which only makes the comparison stricter for the new model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .ranker import CLIP, LogisticModel, confidence

MATCH_PRECISION = 0.97
"""``match`` must be at least this often right on held-out labelled messages."""
MIN_MATCH_HELD_OUT = 20
"""…measured on at least this many held-out messages above the threshold."""
MIN_PAIRS_TO_CALIBRATE = 40
"""Below this many labelled pairs the thresholds are not re-calibrated."""
SUGGEST_FLOOR = 0.25
"""Below the suggest threshold, the right fact-check is among the three shown
for at most this share of messages: not worth asking the sender."""
PRIOR_STRENGTH = 20.0
"""Weight of the pull towards the shipped weights, in messages' worth of loss."""
SHOWN = 3
"""Fact-checks shown in the confirmation question."""


@dataclass(slots=True)
class Example:
    """One labelled message: its candidates' feature rows and which are right."""

    ids: list[str]
    features: np.ndarray  # (len(ids), n_features)
    right: frozenset[str]
    group: str = "deployment"  # or "shared"

    @property
    def labels(self) -> np.ndarray:
        return np.array([i in self.right for i in self.ids], dtype=np.float64)


@dataclass(slots=True)
class Figures:
    n: int
    r1: float
    r3: float
    map5: float
    match_precision: float | None  # None when nothing was decided "match"
    match_coverage: float
    confirm_precision: float | None  # right one among the 3 shown, for "suggest"
    confirm_coverage: float

    def row(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "R@1": self.r1,
            "R@3": self.r3,
            "MAP@5": self.map5,
            "match_precision": self.match_precision,
            "match_coverage": self.match_coverage,
            "confirm_precision": self.confirm_precision,
            "confirm_coverage": self.confirm_coverage,
        }


@dataclass(slots=True)
class Calibration:
    match: float
    suggest: float
    calibrated: bool
    reason: str
    confidence: float | None = None  # set: "match" is decided on confidence()


@dataclass(slots=True)
class Outcome:
    """What a re-training run found; ``install`` says whether to use ``model``."""

    model: LogisticModel
    calibration: Calibration
    new: dict[str, Figures]  # per group ("all", "deployment", "shared")
    current: dict[str, Figures]
    install: bool
    reason: str
    notes: list[str] = field(default_factory=list)


Fitter = Callable[[LogisticModel, np.ndarray, np.ndarray], LogisticModel]


# --- Fitting ----------------------------------------------------------------------


def fit_from_prior(
    prior: LogisticModel,
    x: np.ndarray,
    y: np.ndarray,
    *,
    strength: float = PRIOR_STRENGTH,
) -> LogisticModel:
    """Logistic regression started at, and pulled towards, ``prior``: minimises
    sum(NLL) + strength/2 * |w - w_prior|^2 in the prior's standardisation (the
    bias is free).  Thresholds are copied from the prior."""
    from scipy.optimize import minimize

    w0 = prior.weights.astype(np.float64)
    if len(y) == 0:
        return _copy(prior)
    xs = np.clip((x - prior.mean) / prior.scale, -CLIP, CLIP)

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:-1], params[-1]
        z = xs @ w + b
        nll = np.logaddexp(0.0, z) - y * z
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        g = p - y
        d = w - w0
        value = float(nll.sum() + 0.5 * strength * (d @ d))
        grad = np.concatenate([xs.T @ g + strength * d, [g.sum()]])
        return value, grad

    start = np.concatenate([w0, [prior.bias]])
    result = minimize(loss, start, jac=True, method="L-BFGS-B")
    out = _copy(prior)
    out.weights = result.x[:-1].copy()
    out.bias = float(result.x[-1])
    return out


def _copy(model: LogisticModel) -> LogisticModel:
    return LogisticModel.from_json(model.to_json())


def folds_of(n: int, folds: int, seed: int = 7) -> np.ndarray:
    return np.random.default_rng(seed).permutation(n) % max(folds, 1)


def out_of_fold(
    examples: Sequence[Example],
    prior: LogisticModel,
    *,
    folds: int = 5,
    fitter: Fitter | None = None,
) -> list[np.ndarray]:
    """Each message's candidate scores from a model fitted on the other folds."""
    fit = fitter or (lambda p, x, y: fit_from_prior(p, x, y))
    folds = max(2, min(folds, len(examples)))
    assign = folds_of(len(examples), folds)
    probs: list[np.ndarray] = [np.zeros(0)] * len(examples)
    for f in range(folds):
        train = [e for e, a in zip(examples, assign, strict=True) if a != f]
        model = fit(prior, *_stack(train, prior))
        for i in np.where(assign == f)[0]:
            probs[i] = _predict(model, examples[i])
    return probs


def fit_all(
    examples: Sequence[Example], prior: LogisticModel, *, fitter: Fitter | None = None
) -> LogisticModel:
    fit = fitter or (lambda p, x, y: fit_from_prior(p, x, y))
    return fit(prior, *_stack(examples, prior))


def predict(model: LogisticModel, examples: Sequence[Example]) -> list[np.ndarray]:
    return [_predict(model, e) for e in examples]


def _predict(model: LogisticModel, example: Example) -> np.ndarray:
    return model.predict(example.features) if example.ids else np.zeros(0)


def _stack(
    examples: Sequence[Example], prior: LogisticModel
) -> tuple[np.ndarray, np.ndarray]:
    rows = [e for e in examples if e.ids]
    if not rows:
        return np.zeros((0, len(prior.features))), np.zeros(0)
    return (
        np.concatenate([e.features for e in rows]),
        np.concatenate([e.labels for e in rows]),
    )


# --- Measuring ----------------------------------------------------------------------


def rank_of_right(example: Example, probs: np.ndarray) -> int | None:
    """0-based rank of the first right fact-check, None if not a candidate."""
    if not example.ids:
        return None
    order = np.argsort(-probs, kind="stable")
    for rank, k in enumerate(order):
        if example.ids[k] in example.right:
            return rank
    return None


def tops(
    examples: Sequence[Example], probs: Sequence[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per message: best score, top-1 right, right among the ``SHOWN`` first."""
    p1, right1, shown = [], [], []
    for e, p in zip(examples, probs, strict=True):
        rank = rank_of_right(e, p)
        p1.append(float(p.max()) if len(p) else 0.0)
        right1.append(rank == 0)
        shown.append(rank is not None and rank < SHOWN)
    return np.array(p1), np.array(right1, bool), np.array(shown, bool)


def top_confidence(probs: Sequence[np.ndarray]) -> np.ndarray:
    """Per message: ``confidence()`` of its best candidate."""
    out = []
    for p in probs:
        top2 = np.sort(p)[::-1][:2] if len(p) else np.zeros(0)
        best = float(top2[0]) if len(top2) else 0.0
        second = float(top2[1]) if len(top2) > 1 else 0.0
        out.append(confidence(best, second))
    return np.array(out)


def figures(
    examples: Sequence[Example],
    probs: Sequence[np.ndarray],
    match: float,
    suggest: float,
    sure: float | None = None,
) -> Figures:
    """With ``sure`` set, ``match`` is decided on ``confidence() >= sure``."""
    n = len(examples)
    ranks = [rank_of_right(e, p) for e, p in zip(examples, probs, strict=True)]
    p1, right1, shown = tops(examples, probs)
    is_match = p1 >= match if sure is None else top_confidence(probs) >= sure
    is_suggest = (p1 >= suggest) & ~is_match
    k_match, k_suggest = int(is_match.sum()), int(is_suggest.sum())
    return Figures(
        n=n,
        r1=_share(sum(r == 0 for r in ranks), n),
        r3=_share(sum(r is not None and r < 3 for r in ranks), n),
        map5=_share(sum(1 / (r + 1) for r in ranks if r is not None and r < 5), n),
        match_precision=float(right1[is_match].mean()) if k_match else None,
        match_coverage=_share(k_match, n),
        confirm_precision=float(shown[is_suggest].mean()) if k_suggest else None,
        confirm_coverage=_share(k_suggest, n),
    )


def _share(k: float, n: int) -> float:
    return float(k) / n if n else 0.0


# --- Calibrating --------------------------------------------------------------------


def calibrate(
    p1: np.ndarray,
    right1: np.ndarray,
    shown: np.ndarray,
    *,
    current_match: float,
    current_suggest: float,
    labelled: int,
    conf: np.ndarray | None = None,
    precision: float = MATCH_PRECISION,
    min_held_out: int = MIN_MATCH_HELD_OUT,
    min_pairs: int = MIN_PAIRS_TO_CALIBRATE,
) -> Calibration:
    """Thresholds from held-out scores of labelled messages.

    ``match``: the lowest top score such that the messages at or above it are
    at least ``precision`` right and number at least ``min_held_out`` (the
    largest such set: maximal coverage).  ``suggest``: the highest top score
    below which the right fact-check is among the three shown for at most
    ``SUGGEST_FLOOR`` of the messages (never above ``match``).

    With ``conf`` (each message's ``confidence()``), ``match`` may instead be
    decided on it, when that covers more messages at the same precision (the
    lead over the runner-up separates right from wrong better than the best
    score alone: bench/claim_retraining.py)."""
    keep = Calibration(current_match, current_suggest, False, "")
    if labelled < min_pairs:
        keep.reason = (
            f"{labelled} labelled pairs (fewer than {min_pairs}): "
            "the current thresholds are kept"
        )
        return keep
    p1 = np.asarray(p1, dtype=np.float64)
    right1 = np.asarray(right1, dtype=bool)
    shown = np.asarray(shown, dtype=bool)
    match = match_threshold(p1, right1, precision, min_held_out)
    sure = None
    if conf is not None:
        conf = np.asarray(conf, dtype=np.float64)
        by_conf = match_threshold(conf, right1, precision, min_held_out)
        by_best = int((p1 >= match).sum()) if match is not None else 0
        if by_conf is not None and (conf >= by_conf).sum() > by_best:
            sure = by_conf
    if match is None and sure is None:
        keep.reason = (
            f"no threshold keeps 'match' {precision:.0%} right on at least "
            f"{min_held_out} held-out messages: the current thresholds are kept"
        )
        return keep
    if match is None:  # decided on the lead; the best-score threshold is unused
        match = current_match
    suggest = _suggest_threshold(p1, shown)
    suggest = min(suggest if suggest is not None else current_suggest, match)
    rule = "best score" if sure is None else "best score and lead over the next"
    return Calibration(
        match,
        suggest,
        True,
        f"calibrated on {len(p1)} held-out messages ({labelled} labelled pairs); "
        f"'match' on the {rule}",
        sure,
    )


def match_threshold(
    p1: np.ndarray, right1: np.ndarray, precision: float, min_held_out: int
) -> float | None:
    # Candidate thresholds are the distinct scores, floored to the 4 decimals
    # the weights file keeps (so the saved threshold admits exactly the set
    # measured here); a threshold t admits every message scored >= t.
    best = None
    for t in np.unique(_floor4(p1))[::-1]:
        above = p1 >= t
        k = int(above.sum())
        if k >= min_held_out and right1[above].mean() >= precision:
            best = float(t)
    return best


def _floor4(values: np.ndarray) -> np.ndarray:
    return np.floor(values * 1e4) / 1e4


def _suggest_threshold(p1: np.ndarray, shown: np.ndarray) -> float | None:
    best = None
    for t in np.unique(_floor4(p1)):
        below = p1 < t
        if not below.any():
            continue
        if shown[below].mean() <= SUGGEST_FLOOR:
            best = float(t)
    return best


# --- Deciding -----------------------------------------------------------------------


def retrain(
    examples: Sequence[Example],
    *,
    prior: LogisticModel,
    current: LogisticModel,
    folds: int = 5,
    fitter: Fitter | None = None,
) -> Outcome:
    """Re-fit from ``prior`` (the shipped model) on ``examples``, measure it out
    of fold beside ``current`` (the model in use, with its thresholds) and say
    whether to install it.  Refused when its MAP@5 out of fold is below the
    current model's, or when it brings nothing (same MAP@5, same thresholds)."""
    examples = list(examples)
    deployment = [e.group == "deployment" for e in examples]
    labelled = sum(deployment)
    notes: list[str] = []
    oof = out_of_fold(examples, prior, folds=folds, fitter=fitter)
    cur = predict(current, examples)
    mine = [i for i, d in enumerate(deployment) if d]
    p1, right1, shown = tops([examples[i] for i in mine], [oof[i] for i in mine])
    calibration = calibrate(
        p1,
        right1,
        shown,
        current_match=current.match_threshold,
        current_suggest=current.suggest_threshold,
        labelled=labelled,
        conf=top_confidence([oof[i] for i in mine]),
    )
    if not calibration.calibrated:
        calibration.confidence = current.match_confidence
    model = fit_all(examples, prior, fitter=fitter)
    model.match_threshold = calibration.match
    model.suggest_threshold = calibration.suggest
    model.match_confidence = calibration.confidence

    def by_group(
        probs: list[np.ndarray], m: float, s: float, c: float | None
    ) -> dict[str, Figures]:
        out = {"all": figures(examples, probs, m, s, c)}
        groups = [
            g for g in ("deployment", "shared") if any(e.group == g for e in examples)
        ]
        for group in groups if len(groups) > 1 else []:
            idx = [i for i, e in enumerate(examples) if e.group == group]
            if idx:
                out[group] = figures(
                    [examples[i] for i in idx], [probs[i] for i in idx], m, s, c
                )
        return out

    new = by_group(oof, calibration.match, calibration.suggest, calibration.confidence)
    now = by_group(
        cur,
        current.match_threshold,
        current.suggest_threshold,
        current.match_confidence,
    )
    if not examples:
        return Outcome(model, calibration, new, now, False, "no labelled pairs", notes)
    a, b = new["all"].map5, now["all"].map5
    same_thresholds = (
        calibration.match,
        calibration.suggest,
        calibration.confidence,
    ) == (current.match_threshold, current.suggest_threshold, current.match_confidence)
    if a < b - 1e-9:
        install, reason = (
            False,
            f"worse than the current model (MAP@5 {a:.3f} < {b:.3f})",
        )
    elif a <= b + 1e-9 and same_thresholds:
        install, reason = False, f"no better than the current model (MAP@5 {a:.3f})"
    else:
        install, reason = True, f"MAP@5 {a:.3f} (current {b:.3f})"
    return Outcome(model, calibration, new, now, install, reason, notes)


def format_table(outcome: Outcome) -> list[str]:
    """Lines for the command and the bench: new beside current, per group."""
    lines = [
        f"{'':28}{'current':>10}{'retrained':>11}",
    ]
    for group, fig in outcome.new.items():
        cur = outcome.current[group]
        lines.append(f"{group} ({fig.n} messages; the re-trained model out of fold)")
        for key, label in (
            ("R@1", "R@1"),
            ("R@3", "R@3"),
            ("MAP@5", "MAP@5"),
            ("match_precision", "match: precision"),
            ("match_coverage", "match: coverage"),
            ("confirm_precision", "confirmation: right in 3"),
            ("confirm_coverage", "confirmation: coverage"),
        ):
            lines.append(
                f"  {label:26}{_fmt(cur.row()[key]):>10}{_fmt(fig.row()[key]):>11}"
            )
    return lines


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


# --- Word associations (experimental; measured by bench/claim_retraining.py) -----


class Associations:
    """Word -> word associations learned from labelled pairs: a message word
    that the fact-check does not use ("kerja" in a message, "loker" nowhere; a
    nickname, a slang word) and a word of the right fact-check's headline that
    the message does not use. Weight: positive PMI of the two across pairs,
    kept only for pairs seen at least ``min_count`` times."""

    def __init__(self, weights: dict[tuple[str, str], float]) -> None:
        self.weights = weights
        self.by_query: dict[str, dict[str, float]] = {}
        for (q, d), w in weights.items():
            self.by_query.setdefault(q, {})[d] = w

    @classmethod
    def learn(
        cls, pairs: Sequence[tuple[set[str], set[str]]], *, min_count: int = 2
    ) -> Associations:
        joint: dict[tuple[str, str], int] = {}
        q_count: dict[str, int] = {}
        d_count: dict[str, int] = {}
        for qwords, dwords in pairs:
            q_only, d_only = qwords - dwords, dwords - qwords
            for q in q_only:
                q_count[q] = q_count.get(q, 0) + 1
            for d in d_only:
                d_count[d] = d_count.get(d, 0) + 1
            for q in q_only:
                for d in d_only:
                    joint[(q, d)] = joint.get((q, d), 0) + 1
        n = max(len(pairs), 1)
        weights = {}
        for (q, d), c in joint.items():
            if c < min_count:
                continue
            pmi = float(np.log(c * n / (q_count[q] * d_count[d])))
            if pmi > 0:
                weights[(q, d)] = pmi
        return cls(weights)

    def score(self, qwords: set[str], dwords: set[str]) -> float:
        """Mean over the fact-check's words missing from the message of their
        best association with a message word."""
        missing = dwords - qwords
        if not missing or not self.by_query:
            return 0.0
        best: dict[str, float] = {}
        for q in qwords - dwords:
            for d, w in self.by_query.get(q, {}).items():
                if d in missing and w > best.get(d, 0.0):
                    best[d] = w
        return sum(best.values()) / len(dwords)
