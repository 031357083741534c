"""Pure learning and calibration (no Django): thresholds from held-out scores,
the fit from a prior, and the install decision."""

from __future__ import annotations

import numpy as np
import pytest

from factcheck.matching import learning
from factcheck.matching.learning import Example, calibrate, figures
from factcheck.matching.ranker import LogisticModel


def _scores(n_right: int, n_wrong: int, seed: int = 1) -> tuple[np.ndarray, ...]:
    """Right messages score high, wrong ones spread lower with some overlap."""
    rng = np.random.default_rng(seed)
    p_right = rng.uniform(0.5, 1.0, n_right)
    p_wrong = rng.uniform(0.0, 0.7, n_wrong)
    p1 = np.concatenate([p_right, p_wrong])
    right1 = np.concatenate([np.ones(n_right, bool), np.zeros(n_wrong, bool)])
    shown = right1.copy()
    return p1, right1, shown


def test_match_keeps_97_percent_with_maximal_coverage() -> None:
    p1, right1, shown = _scores(120, 80)
    cal = calibrate(
        p1, right1, shown, current_match=0.9, current_suggest=0.2, labelled=200
    )
    assert cal.calibrated
    above = p1 >= cal.match
    assert above.sum() >= learning.MIN_MATCH_HELD_OUT
    assert right1[above].mean() >= 0.97
    # Maximal: the next lower score would break the 97%.
    lower = np.sort(np.unique(p1[p1 < cal.match]))
    if len(lower):
        wider = p1 >= lower[-1]
        assert right1[wider].mean() < 0.97
    assert cal.suggest <= cal.match


def test_fewer_than_40_pairs_keep_the_current_thresholds() -> None:
    p1, right1, shown = _scores(30, 9)
    cal = calibrate(
        p1, right1, shown, current_match=0.91, current_suggest=0.33, labelled=39
    )
    assert not cal.calibrated
    assert (cal.match, cal.suggest) == (0.91, 0.33)
    assert "fewer than 40" in cal.reason


def test_no_precise_enough_set_of_20_keeps_the_thresholds() -> None:
    # Every fifth top-scored message is wrong: never 97% right.
    p1 = np.linspace(1.0, 0.0, 100)
    right1 = np.arange(100) % 5 != 0
    cal = calibrate(
        p1, right1, right1, current_match=0.8, current_suggest=0.1, labelled=100
    )
    assert not cal.calibrated and (cal.match, cal.suggest) == (0.8, 0.1)
    # 19 perfect messages are not enough to vouch for a threshold either.
    right1 = np.arange(100) < 19
    cal = calibrate(
        p1, right1, right1, current_match=0.8, current_suggest=0.1, labelled=100
    )
    assert not cal.calibrated


def test_ties_are_admitted_together() -> None:
    p1 = np.array([0.9] * 25 + [0.8] * 10)
    right1 = np.array([True] * 25 + [True] * 5 + [False] * 5)
    cal = calibrate(
        p1, right1, right1, current_match=0.99, current_suggest=0.1, labelled=40
    )
    assert cal.match == 0.9


def _model(weights: list[float], match: float = 0.8) -> LogisticModel:
    n = len(weights)
    return LogisticModel(
        ("a", "b")[:n],
        np.zeros(n),
        np.ones(n),
        np.array(weights, float),
        0.0,
        match,
        0.2,
    )


def _examples(n: int, seed: int = 3) -> list[Example]:
    """Feature a tells the right candidate; feature b is noise."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        x = rng.normal(size=(5, 2))
        right = int(rng.integers(5))
        x[right, 0] += 2.5
        out.append(
            Example([f"{k}-{i}" for i in range(5)], x, frozenset([f"{k}-{right}"]))
        )
    return out


def test_the_fit_moves_from_the_prior_towards_the_data() -> None:
    data = _examples(60)
    prior = _model([0.0, 2.0])  # trusts the noise
    x = np.concatenate([e.features for e in data])
    y = np.concatenate([e.labels for e in data])
    fitted = learning.fit_from_prior(prior, x, y)
    assert fitted.weights[0] > 1.0 and abs(fitted.weights[1]) < 2.0
    # Strong pull: stays near the prior.
    stiff = learning.fit_from_prior(prior, x, y, strength=1e6)
    assert np.allclose(stiff.weights, prior.weights, atol=0.01)
    assert fitted.match_threshold == prior.match_threshold


def test_figures_count_ranks_decisions_and_the_three_shown() -> None:
    ex = [
        Example(["a", "b", "c", "d"], np.zeros((4, 1)), frozenset(["a"])),
        Example(["a", "b", "c", "d"], np.zeros((4, 1)), frozenset(["c"])),
        Example(["a", "b"], np.zeros((2, 1)), frozenset(["z"])),
    ]
    probs = [
        np.array([0.95, 0.1, 0.0, 0.0]),  # right first, "match"
        np.array([0.5, 0.4, 0.3, 0.0]),  # right third, "suggest"
        np.array([0.1, 0.05]),  # right not a candidate, "none"
    ]
    f = figures(ex, probs, match=0.9, suggest=0.2)
    assert f.r1 == pytest.approx(1 / 3) and f.r3 == pytest.approx(2 / 3)
    assert f.map5 == pytest.approx((1 + 1 / 3) / 3)
    assert f.match_precision == 1.0 and f.match_coverage == pytest.approx(1 / 3)
    assert f.confirm_precision == 1.0 and f.confirm_coverage == pytest.approx(1 / 3)


def test_retrain_installs_a_better_model_and_refuses_a_worse_one() -> None:
    data = _examples(60)
    prior = _model([1.0, 0.0])
    bad_current = _model([-1.0, 0.0])
    better = learning.retrain(data, prior=prior, current=bad_current, folds=3)
    assert better.install and better.new["all"].map5 > better.current["all"].map5
    assert "fewer than 40" not in better.calibration.reason  # 60 pairs

    def backwards(p, x, y):
        out = learning.fit_from_prior(p, x, y)
        out.weights = -out.weights
        return out

    worse = learning.retrain(
        data, prior=prior, current=prior, folds=3, fitter=backwards
    )
    assert not worse.install and worse.reason.startswith("worse")
    lines = "\n".join(learning.format_table(worse))
    assert "MAP@5" in lines and "all (60 messages" in lines


def test_associations_link_slang_to_the_fact_checks_wording() -> None:
    pairs = [
        ({"loker", "ikn", "bayar"}, {"lowong", "kerja", "ikn", "biaya"}),
        ({"loker", "pabrik", "bayar"}, {"lowong", "kerja", "pabrik", "biaya"}),
        ({"loker", "bank"}, {"lowong", "kerja", "bank"}),
        ({"tower", "kanker"}, {"menara", "kanker"}),
    ]
    assoc = learning.Associations.learn(pairs)
    near = assoc.score({"loker", "samarinda"}, {"lowong", "kerja", "samarinda"})
    far = assoc.score({"loker", "samarinda"}, {"menara", "samarinda"})
    assert near > 0 and far == 0.0
    # Seen once only: not trusted.
    assert ("tower", "menara") not in assoc.weights


def test_match_may_be_decided_on_the_lead_over_the_runner_up() -> None:
    # Right messages have a clear winner; wrong ones two close candidates,
    # whatever their best score.
    rng = np.random.default_rng(4)
    best = rng.uniform(0.4, 1.0, 200)
    right1 = np.arange(200) % 3 != 0
    second = np.where(right1, best * 0.2, best * 0.95)
    conf = np.sqrt(best * (best - second))
    cal = calibrate(
        best,
        right1,
        right1,
        current_match=0.9,
        current_suggest=0.1,
        labelled=200,
        conf=conf,
    )
    assert cal.calibrated and cal.confidence is not None
    above = conf >= cal.confidence
    assert right1[above].mean() >= 0.97
    assert above.sum() > (best >= cal.match).sum()
    model = _model([1.0, 0.0])
    model.match_confidence = cal.confidence
    assert LogisticModel.from_json(model.to_json()).match_confidence == cal.confidence


def test_the_engine_decides_on_the_lead_when_the_model_says_so() -> None:
    from factcheck.matching import Decision, Match, MatchingEngine
    from factcheck.matching.ranker import load_models

    engine = MatchingEngine(semantic=False)
    close = [Match("a", 0.95, {}), Match("b", 0.93, {})]
    clear = [Match("a", 0.7, {}), Match("b", 0.1, {})]
    models = load_models()
    models["lexical"].match_confidence = 0.5
    models["lexical"].suggest_threshold = 0.05
    engine.models = models
    assert engine.decide(close) == Decision.SUGGEST  # two close candidates
    assert engine.decide(clear) == Decision.MATCH  # sqrt(0.7 * 0.6) = 0.65
