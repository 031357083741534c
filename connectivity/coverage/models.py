"""Propagation models: Okumura-Hata, COST-231 Hata and ITM (Longley-Rice) area mode.

Every loss function takes a distance array in kilometres and returns the median basic
transmission loss in dB as a float64 array of the same shape, so a whole window of a
raster is one call.

Sources (see ``connectivity/coverage/README.md`` for the defaults and why):

- Okumura-Hata: M. Hata, "Empirical formula for propagation loss in land mobile radio
  services", IEEE Trans. Veh. Technol. VT-29(3), 1980 (150-1500 MHz, base 30-200 m,
  mobile 1-10 m, 1-20 km).
- COST-231 Hata: COST Action 231, "Digital mobile radio towards future generation
  systems", final report, EUR 18957, 1999, section 4.4 (1500-2000 MHz).  The suburban
  and open-area corrections, which the report leaves out, are applied as in the
  "extended Hata" model of ERC Report 68 (SEAMCAT), the common practice.
- ITM area mode: G. A. Hufford, A. G. Longley, W. A. Kissick, "A guide to the use of
  the ITS Irregular Terrain Model in the area prediction mode", NTIA Report 82-100,
  1982, and G. A. Hufford, "The ITS Irregular Terrain Model, version 1.2.2: the
  algorithm", 1995; computed with the ``itmlogic`` package (Oughton et al., JOSS 5,
  2266, 2020).
"""

from __future__ import annotations

import cmath
import copy
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Model = Literal["hata", "cost231", "itm"]
Environment = Literal["urban", "suburban", "rural"]
#: An ITM ground: a name of :data:`ITM_GROUNDS` or (relative permittivity, S/m).
Ground = str | tuple[float, float]

#: Terrain irregularity delta-h (m) by class: NTIA Report 82-100, table 3 (Hufford,
#: Longley and Kissick 1982).  "average" is the ITM's default for unknown terrain.
TERRAIN_DELTA_H_M: dict[str, float] = {
    "flat": 0.0,
    "water": 0.0,
    "plains": 30.0,
    "hills": 90.0,
    "average": 90.0,
    "mountains": 200.0,
    "rugged_mountains": 500.0,
}

#: ITM radio climates (NTIA Report 82-100, table 2) with their surface refractivity
#: N_s in N-units.  Kalimantan is "equatorial".
ITM_CLIMATES: dict[str, tuple[int, float]] = {
    "equatorial": (1, 360.0),
    "continental_subtropical": (2, 320.0),
    "maritime_subtropical": (3, 370.0),
    "desert": (4, 280.0),
    "continental_temperate": (5, 301.0),
    "maritime_temperate_land": (6, 320.0),
    "maritime_temperate_sea": (7, 350.0),
}

#: Ground constants (relative permittivity, conductivity S/m), NTIA Report 82-100.
ITM_GROUNDS: dict[str, tuple[float, float]] = {
    "average": (15.0, 0.005),
    "poor": (4.0, 0.001),
    "good": (25.0, 0.020),
    "fresh_water": (81.0, 0.010),
    "sea_water": (81.0, 5.0),
}

# Shortest distance the models are evaluated at; closer cells take this value's loss
# minus the free-space slope (the formulas have a log(d) singularity at 0).
_MIN_KM = 0.01


@dataclass(frozen=True)
class SiteConfig:
    """Radio configuration of one tower; hashable so derived tables can be cached.

    Defaults describe a 4G LTE band 8 (900 MHz) macro site of the BAKTI programme:

    - ``frequency_mhz=900``: LTE band 8, the low band used for rural coverage.
    - ``base_height_m=42``: the lowest BAKTI tower (42-72 m), i.e. a conservative
      antenna height (Diskominfo Kukar / BAKTI public figures).
    - ``mobile_height_m=1.5``: handset at street level (Hata 1980; ITU-R P.1546 uses
      1.5 m as well).
    - ``eirp_dbm=58``: 46 dBm transmitter (40 W) + 15 dBi sector antenna - 3 dB feeder,
      the macro-cell figures of 3GPP TR 36.942 section 4.
    - ``sensitivity_dbm=-100``: usable-data receive level; 3GPP TS 36.101 table 7.3.1-1
      gives -94 dBm reference sensitivity for band 8 at 10 MHz, and ``margin_db`` makes
      up the difference.
    - ``margin_db=10``: shadow-fading/body-loss margin (log-normal sigma of about
      8-10 dB in 3GPP TR 36.942 and ETSI TR 101 112), so a cell is "covered" when the
      median signal is at least -90 dBm.
    - ``environment="suburban"``: Hata's suburban correction; villages in forested
      East Kalimantan are neither Hata's open land nor a city.  Use "rural" (Hata's
      open area) for clear fields, rivers and coast.

    ITM-only parameters: ``terrain`` class or an explicit ``delta_h_m`` (which wins),
    ``climate``, ``ground`` (name or (permittivity, conductivity)), reliability
    percentages (50 = median), and siting care (0 random, 1 careful, 2 very careful;
    NTIA Report 82-100 section 3).
    """

    model: Model = "hata"
    environment: Environment = "suburban"
    frequency_mhz: float = 900.0
    base_height_m: float = 42.0
    mobile_height_m: float = 1.5
    eirp_dbm: float = 58.0
    sensitivity_dbm: float = -100.0
    margin_db: float = 10.0
    terrain: str = "hills"
    delta_h_m: float | None = None
    climate: str = "equatorial"
    ground: Ground = "average"
    time_pct: float = 50.0
    location_pct: float = 50.0
    confidence_pct: float = 50.0
    base_siting: int = 1
    mobile_siting: int = 0
    max_range_cap_km: float = 100.0

    @property
    def max_loss_db(self) -> float:
        """Largest path loss still giving a usable signal (the link budget)."""
        return self.eirp_dbm - self.sensitivity_dbm - self.margin_db

    @property
    def terrain_delta_h_m(self) -> float:
        if self.delta_h_m is not None:
            return float(self.delta_h_m)
        try:
            return TERRAIN_DELTA_H_M[self.terrain]
        except KeyError as exc:
            known = ", ".join(sorted(TERRAIN_DELTA_H_M))
            raise ValueError(
                f"unknown terrain class {self.terrain!r}; use one of {known}"
            ) from exc

    def with_(self, **changes: Any) -> SiteConfig:
        return replace(self, **changes)


DEFAULT_CONFIG = SiteConfig()

FloatArray = npt.NDArray[np.float64]


def _km(distance_km: npt.ArrayLike) -> FloatArray:
    d = np.asarray(distance_km, dtype=np.float64)
    return np.maximum(d, _MIN_KM)


def free_space_loss_db(distance_km: npt.ArrayLike, frequency_mhz: float) -> FloatArray:
    """Free-space basic transmission loss, ITU-R P.525: 32.45 + 20 log f + 20 log d."""
    d = _km(distance_km)
    return 32.45 + 20.0 * math.log10(frequency_mhz) + 20.0 * np.log10(d)


def _hata_mobile_correction(f: float, hm: float) -> float:
    # Hata's a(hm): the "medium-small city" form for everything but a metropolis;
    # the large-city form only differs by a fraction of a dB at hm = 1.5 m.
    lf = math.log10(f)
    return (1.1 * lf - 0.7) * hm - (1.56 * lf - 0.8)


def _environment_correction(f: float, environment: str) -> float:
    lf = math.log10(f)
    if environment == "urban":
        return 0.0
    if environment == "suburban":
        return -2.0 * math.log10(f / 28.0) ** 2 - 5.4
    if environment == "rural":
        return -4.78 * lf**2 + 18.33 * lf - 40.94
    raise ValueError(
        f"unknown environment {environment!r}; use urban, suburban or rural"
    )


def _hata_form(
    constants: tuple[float, float],
    distance_km: npt.ArrayLike,
    frequency_mhz: float,
    base_height_m: float,
    mobile_height_m: float,
    environment: str,
) -> FloatArray:
    """The form Hata and COST-231 share, ``constants`` being (A, B) of
    L = A + B log f - 13.82 log hb - a(hm) + (44.9 - 6.55 log hb) log d + C."""
    f, hb, hm = float(frequency_mhz), float(base_height_m), float(mobile_height_m)
    d = _km(distance_km)
    intercept, per_log_f = constants
    a = (
        intercept
        + per_log_f * math.log10(f)
        - 13.82 * math.log10(hb)
        - _hata_mobile_correction(f, hm)
    )
    b = 44.9 - 6.55 * math.log10(hb)
    loss = a + b * np.log10(d) + _environment_correction(f, environment)
    # An empirical fit must never predict less than free space (it does at a few
    # hundred metres from a tall mast).
    return np.maximum(loss, free_space_loss_db(d, f))


def hata_loss_db(
    distance_km: npt.ArrayLike,
    frequency_mhz: float = 900.0,
    base_height_m: float = 42.0,
    mobile_height_m: float = 1.5,
    environment: Environment = "suburban",
) -> FloatArray:
    """Okumura-Hata median path loss (Hata 1980, eq. 8 and the suburban/open forms).

    L = 69.55 + 26.16 log f - 13.82 log hb - a(hm) + (44.9 - 6.55 log hb) log d + C,
    with C the suburban or open-area correction.  Valid for 150-1500 MHz and 1-20 km;
    outside that it is an extrapolation (see :func:`validity_notes`).
    """
    return _hata_form(
        (69.55, 26.16),
        distance_km,
        frequency_mhz,
        base_height_m,
        mobile_height_m,
        environment,
    )


def cost231_hata_loss_db(
    distance_km: npt.ArrayLike,
    frequency_mhz: float = 1800.0,
    base_height_m: float = 42.0,
    mobile_height_m: float = 1.5,
    environment: Environment = "suburban",
) -> FloatArray:
    """COST-231 Hata (COST 231 final report, section 4.4.3).

    L = 46.3 + 33.9 log f - 13.82 log hb - a(hm) + (44.9 - 6.55 log hb) log d + Cm,
    Cm = 0 dB (medium city, suburban centres); suburban and open corrections as in ERC
    Report 68.  Valid for 1500-2000 MHz, base 30-200 m, 1-20 km.
    """
    return _hata_form(
        (46.3, 33.9),
        distance_km,
        frequency_mhz,
        base_height_m,
        mobile_height_m,
        environment,
    )


# --- ITM area mode ---------------------------------------------------------------


def _require_itmlogic() -> None:
    try:
        import itmlogic  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            "the ITM model needs the itmlogic package (pip install itmlogic==1.2); "
            "Hata and COST-231 work without it"
        ) from exc


def _z(pct: float) -> float:
    """Standard normal deviate used by ITM for a percentage (qerfi of Hufford 1995)."""
    from itmlogic.misc.qerfi import qerfi

    return float(qerfi([pct / 100.0])[0])


def _itm_base_prop(
    frequency_mhz: float,
    base_height_m: float,
    mobile_height_m: float,
    delta_h_m: float,
    climate: str,
    ground: Ground,
    base_siting: int,
    mobile_siting: int,
) -> dict[str, Any]:
    _require_itmlogic()
    from itmlogic.preparatory_subroutines.qlra import qlra

    try:
        klim, ns = ITM_CLIMATES[climate]
    except KeyError as exc:
        raise ValueError(f"unknown ITM climate {climate!r}") from exc
    if isinstance(ground, tuple):
        eps, sgm = float(ground[0]), float(ground[1])
    else:
        try:
            eps, sgm = ITM_GROUNDS[ground]
        except KeyError as exc:
            known = ", ".join(sorted(ITM_GROUNDS))
            raise ValueError(
                f"unknown ITM ground {ground!r}; use one of {known} or (eps, sigma)"
            ) from exc
    wn = frequency_mhz / 47.7
    gme = 157e-9 * (1 - 0.04665 * math.exp(ns / 179.3))
    zq = complex(eps, 376.62 * sgm / wn)
    # Vertical polarisation.  itmlogic's sample scripts take sqrt(zq.real - 1); the
    # algorithm (Hufford 1995, eq. 2.3) uses the complex root, as its qlrps does.
    zgnd = cmath.sqrt(zq - 1) / zq
    prop: dict[str, Any] = {
        "hg": [float(base_height_m), float(mobile_height_m)],
        "fmhz": frequency_mhz,
        "dh": float(delta_h_m),
        "ens0": ns,
        "ens": ns,
        "eps": eps,
        "sgm": sgm,
        "klimx": klim,
        "ipol": 1,
        "mdvarx": 2,  # "mobile" variability: time and location vary together
        "gma": 157e-9,
        "kwx": 0,
        "wn": wn,
        "gme": gme,
        "lvar": 0,
        "zgnd": zgnd,
    }
    result: dict[str, Any] = qlra([base_siting, mobile_siting], prop)
    return result


def _itm_point(
    base: dict[str, Any], d_m: float, zt: float, zl: float, zc: float
) -> float:
    from itmlogic.lrprop import lrprop
    from itmlogic.statistics.avar import avar

    # A fresh state per distance: itmlogic's lrprop only refreshes the line-of-sight
    # attenuation on the first call of an area-mode sequence, so reusing the state
    # would give later distances a stale value.
    prop = copy.deepcopy(base)
    prop = lrprop(d_m, prop)
    fs = 8.685890 * math.log(2 * prop["wn"] * prop["dist"])
    a, _ = avar(zt, zl, zc, prop)
    return float(fs + a)


@lru_cache(maxsize=256)
def _itm_table(
    frequency_mhz: float,
    base_height_m: float,
    mobile_height_m: float,
    delta_h_m: float,
    climate: str,
    ground: Ground,
    time_pct: float,
    location_pct: float,
    confidence_pct: float,
    base_siting: int,
    mobile_siting: int,
    max_km: float,
) -> tuple[FloatArray, FloatArray]:
    base = _itm_base_prop(
        frequency_mhz,
        base_height_m,
        mobile_height_m,
        delta_h_m,
        climate,
        ground,
        base_siting,
        mobile_siting,
    )
    zt, zl, zc = _z(time_pct), _z(location_pct), _z(confidence_pct)
    # ITM is smooth in log(distance); 96 points from 1 km (its lower validity limit)
    # keep the interpolation error well under 0.1 dB.
    dist_km = np.geomspace(1.0, max(max_km, 2.0), 96)
    loss = np.array([_itm_point(base, d * 1000.0, zt, zl, zc) for d in dist_km])
    # Enforce monotonicity so range inversion is well defined (ITM's variability terms
    # can wobble by a few hundredths of a dB).
    loss = np.maximum.accumulate(loss)
    return np.log10(dist_km), loss


def itm_area_loss_db(
    distance_km: npt.ArrayLike,
    frequency_mhz: float = 900.0,
    base_height_m: float = 42.0,
    mobile_height_m: float = 1.5,
    delta_h_m: float = 90.0,
    *,
    climate: str = "equatorial",
    ground: Ground = "average",
    time_pct: float = 50.0,
    location_pct: float = 50.0,
    confidence_pct: float = 50.0,
    base_siting: int = 1,
    mobile_siting: int = 0,
    max_km: float = 200.0,
) -> FloatArray:
    """ITM (Longley-Rice) area-mode loss: free space plus ITM's reference attenuation
    and variability at the requested time/location/confidence percentages.

    The model is evaluated with ``itmlogic`` on 96 log-spaced distances from 1 km to
    ``max_km`` (cached per configuration) and interpolated linearly in log-distance.
    ITM is not defined under 1 km; there the 1 km value is continued with the
    free-space slope (20 dB/decade).  Beyond ``max_km`` the last slope is continued.
    """
    log_d, table = _itm_table(
        float(frequency_mhz),
        float(base_height_m),
        float(mobile_height_m),
        float(delta_h_m),
        climate,
        ground,
        float(time_pct),
        float(location_pct),
        float(confidence_pct),
        int(base_siting),
        int(mobile_siting),
        float(max_km),
    )
    d = _km(distance_km)
    ld = np.log10(d)
    loss = np.interp(ld, log_d, table)
    near = ld < log_d[0]
    if np.any(near):
        loss = np.where(near, table[0] + 20.0 * (ld - log_d[0]), loss)
    far = ld > log_d[-1]
    if np.any(far):
        slope = (table[-1] - table[-2]) / (log_d[-1] - log_d[-2])
        loss = np.where(far, table[-1] + slope * (ld - log_d[-1]), loss)
    return np.maximum(loss, free_space_loss_db(d, frequency_mhz))


def path_loss_db(
    distance_km: npt.ArrayLike, config: SiteConfig = DEFAULT_CONFIG
) -> FloatArray:
    """Median path loss (dB) of ``config``'s model at each distance (km)."""
    # Okumura-Hata and its COST-231 extension take the same inputs.
    hata = {"hata": hata_loss_db, "cost231": cost231_hata_loss_db}.get(config.model)
    if hata is not None:
        return hata(
            distance_km,
            config.frequency_mhz,
            config.base_height_m,
            config.mobile_height_m,
            config.environment,
        )
    if config.model == "itm":
        return itm_area_loss_db(
            distance_km,
            config.frequency_mhz,
            config.base_height_m,
            config.mobile_height_m,
            config.terrain_delta_h_m,
            climate=config.climate,
            ground=config.ground,
            time_pct=config.time_pct,
            location_pct=config.location_pct,
            confidence_pct=config.confidence_pct,
            base_siting=config.base_siting,
            mobile_siting=config.mobile_siting,
            max_km=max(config.max_range_cap_km, 2.0),
        )
    raise ValueError(f"unknown propagation model {config.model!r}")


def signal_dbm(
    distance_km: npt.ArrayLike, config: SiteConfig = DEFAULT_CONFIG
) -> FloatArray:
    """Median received level (dBm): EIRP minus path loss."""
    return config.eirp_dbm - path_loss_db(distance_km, config)


def margin_db(
    distance_km: npt.ArrayLike, config: SiteConfig = DEFAULT_CONFIG
) -> FloatArray:
    """Signal margin over sensitivity + fade margin; >= 0 means covered."""
    return config.max_loss_db - path_loss_db(distance_km, config)


@lru_cache(maxsize=1024)
def max_range_km(config: SiteConfig = DEFAULT_CONFIG) -> float:
    """Distance (km) at which the path loss reaches the link budget
    (``eirp - sensitivity - margin``), capped at ``config.max_range_cap_km``.

    The loss is monotonic in distance, so a dense log-spaced scan followed by
    bisection finds the root to a metre; 0.0 means not even the tower's foot is
    covered.
    """
    budget = config.max_loss_db
    cap = float(config.max_range_cap_km)
    if float(path_loss_db(cap, config)) <= budget:
        return cap
    d = np.geomspace(_MIN_KM, cap, 512)
    loss = path_loss_db(d, config)
    ok = loss <= budget
    if not ok[0]:
        return 0.0
    i = int(np.argmin(ok))  # first distance over budget
    lo, hi = float(d[i - 1]), float(d[i])
    for _ in range(40):
        mid = math.sqrt(lo * hi)
        if float(path_loss_db(mid, config)) <= budget:
            lo = mid
        else:
            hi = mid
    return lo


def validity_notes(config: SiteConfig, range_km: float | None = None) -> list[str]:
    """Plain-language warnings where ``config`` is outside its model's calibration."""
    notes: list[str] = []
    f, hb, hm = config.frequency_mhz, config.base_height_m, config.mobile_height_m
    if config.model == "hata" and not 150 <= f <= 1500:
        notes.append(f"Hata is calibrated for 150-1500 MHz, not {f:g} MHz")
    if config.model == "cost231" and not 1500 <= f <= 2000:
        notes.append(f"COST-231 Hata is calibrated for 1500-2000 MHz, not {f:g} MHz")
    if config.model in ("hata", "cost231"):
        if not 30 <= hb <= 200:
            notes.append(f"base height {hb:g} m is outside Hata's 30-200 m")
        if not 1 <= hm <= 10:
            notes.append(f"mobile height {hm:g} m is outside Hata's 1-10 m")
        if range_km is not None and range_km > 20:
            notes.append(
                f"range {range_km:.1f} km is beyond Hata's 20 km; extrapolated"
            )
    if config.model == "itm":
        if not 20 <= f <= 20000:
            notes.append(f"ITM is defined for 20 MHz-20 GHz, not {f:g} MHz")
        if not (0.5 <= hb <= 3000 and 0.5 <= hm <= 3000):
            notes.append("ITM antenna heights must be 0.5-3000 m")
        if range_km is not None and range_km < 1:
            notes.append("ITM is not defined under 1 km; free-space slope used")
    if range_km is not None and range_km >= config.max_range_cap_km:
        notes.append(f"range reached the {config.max_range_cap_km:g} km cap")
    return notes
