"""Propagation models against hand computations and published reference values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from connectivity.coverage.models import (
    TERRAIN_DELTA_H_M,
    SiteConfig,
    cost231_hata_loss_db,
    free_space_loss_db,
    hata_loss_db,
    itm_area_loss_db,
    margin_db,
    max_range_km,
    path_loss_db,
    validity_notes,
)


def test_free_space_matches_itu_r_p525() -> None:
    # 32.45 + 20 log10(900) + 20 log10(10) = 111.535 dB
    assert float(free_space_loss_db(10.0, 900.0)) == pytest.approx(111.535, abs=1e-3)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        # Hand computations of Hata (1980) at 900 MHz, hb 50 m, hm 1.5 m, 10 km:
        # A = 69.55 + 26.16 log f - 13.82 log hb - a(hm) = 123.3374, B = 33.7717,
        # a(hm) = 0.0159; suburban -9.9426 dB; open area -28.5064 dB.
        ("urban", 157.1092),
        ("suburban", 147.1666),
        ("rural", 128.6028),
    ],
)
def test_hata_hand_computation(environment: str, expected: float) -> None:
    loss = hata_loss_db(10.0, 900.0, 50.0, 1.5, environment)  # type: ignore[arg-type]
    assert float(loss) == pytest.approx(expected, abs=0.01)


def test_hata_slope_is_44_9_minus_6_55_log_hb() -> None:
    loss = hata_loss_db(np.array([1.0, 10.0]), 900.0, 50.0, 1.5, "urban")
    assert loss[1] - loss[0] == pytest.approx(44.9 - 6.55 * math.log10(50.0))


def test_cost231_hand_computation() -> None:
    # 46.3 + 33.9 log 1800 - 13.82 log 30 - a(1.5) at 1 km, Cm = 0: 136.197 dB.
    loss = cost231_hata_loss_db(1.0, 1800.0, 30.0, 1.5, "urban")
    assert float(loss) == pytest.approx(136.197, abs=0.01)


def test_empirical_models_never_beat_free_space() -> None:
    d = np.geomspace(0.01, 50, 200)
    fs = free_space_loss_db(d, 900.0)
    assert np.all(hata_loss_db(d, 900.0, 72.0, 1.5, "rural") >= fs - 1e-9)


def test_itm_area_mode_matches_itmlogic_reference() -> None:
    # itmlogic's tests/test_area.py (NTIA's QKAREA example): 20 MHz, 3.3/1.3 m,
    # delta-h 102 m, Ns 301, eps 15, sigma 0.001, climate 5, very careful siting.
    # Its 111.692 dB at 10 km uses the real part of the ground impedance; with the
    # complex one of the algorithm the value moves by 0.01 dB.
    loss = itm_area_loss_db(
        np.array([10.0, 500.0]),
        20.0,
        3.3,
        1.3,
        102.0,
        climate="continental_temperate",
        ground=(15.0, 0.001),
        base_siting=2,
        mobile_siting=2,
        max_km=500.0,
    )
    assert loss[0] == pytest.approx(111.692, abs=0.05)
    assert loss[1] == pytest.approx(215.274, abs=0.05)


def test_itm_value_does_not_depend_on_other_distances() -> None:
    # itmlogic keeps state between calls; each tabulated distance is computed fresh.
    alone = itm_area_loss_db(np.array([10.0]), 900.0, 42.0, 1.5, 90.0)
    among = itm_area_loss_db(np.array([1.0, 2.0, 5.0, 10.0]), 900.0, 42.0, 1.5, 90.0)
    assert among[-1] == pytest.approx(alone[0])
    assert np.all(np.diff(among) > 0)


def test_itm_rougher_terrain_loses_more() -> None:
    ranges = [
        max_range_km(SiteConfig(model="itm", terrain=t))
        for t in ("plains", "hills", "mountains", "rugged_mountains")
    ]
    assert ranges == sorted(ranges, reverse=True)
    assert set(TERRAIN_DELTA_H_M) >= {"flat", "plains", "hills", "mountains"}


def test_explicit_delta_h_wins_over_class() -> None:
    a = SiteConfig(model="itm", terrain="plains", delta_h_m=200.0)
    b = SiteConfig(model="itm", terrain="mountains")
    assert max_range_km(a) == pytest.approx(max_range_km(b))


@pytest.mark.parametrize("model", ["hata", "cost231", "itm"])
def test_max_range_solves_the_link_budget(model: str) -> None:
    config = SiteConfig(model=model)  # type: ignore[arg-type]
    r = max_range_km(config)
    assert 0 < r < config.max_range_cap_km
    assert float(margin_db(r, config)) == pytest.approx(0.0, abs=1e-3)
    assert float(margin_db(r * 0.9, config)) > 0 > float(margin_db(r * 1.1, config))


def test_max_range_matches_inverted_hata() -> None:
    config = SiteConfig(environment="urban", base_height_m=50.0)
    a = 123.33745 - 0.0  # urban: no environment correction
    b = 33.771746
    expected = 10 ** ((config.max_loss_db - a) / b)
    assert max_range_km(config) == pytest.approx(expected, rel=1e-3)


def test_default_config_is_documented_lte_900() -> None:
    c = SiteConfig()
    assert (c.frequency_mhz, c.mobile_height_m, c.sensitivity_dbm) == (900, 1.5, -100)
    assert 42 <= c.base_height_m <= 72
    assert c.max_loss_db == c.eirp_dbm - c.sensitivity_dbm - c.margin_db
    assert 3 < max_range_km(c) < 20  # a suburban 900 MHz macro cell


def test_range_cap_and_notes() -> None:
    c = SiteConfig(environment="rural", eirp_dbm=80.0, max_range_cap_km=25.0)
    r = max_range_km(c)
    assert r == 25.0
    notes = validity_notes(c, r)
    assert any("cap" in n for n in notes)
    assert any("20 km" in n for n in notes)
    assert validity_notes(SiteConfig(model="hata", frequency_mhz=2100.0))


def test_no_coverage_when_budget_is_tiny() -> None:
    assert max_range_km(SiteConfig(eirp_dbm=-60.0)) == 0.0


def test_bad_parameters_raise_clearly() -> None:
    with pytest.raises(ValueError, match="unknown environment"):
        hata_loss_db(1.0, environment="jungle")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown terrain"):
        path_loss_db(1.0, SiteConfig(model="itm", terrain="swamp"))
