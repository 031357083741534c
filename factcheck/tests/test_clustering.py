"""The near-duplicate grouping of tips, on its own (no database)."""

from factcheck import clustering

BLT = (
    "Diteruskan berkali-kali: Bantuan BLT Rp 600.000 cair hari ini! Daftar di "
    "https://blt-kaltim.xyz/daftar sebelum ditutup, sebarkan!!"
)
BLT_VARIANT = (
    "BANTUAN BLT RP600.000 CAIR HARI INI 🙏🙏 daftar di "
    "http://blt-kaltim.xyz/daftar?ref=wa sebelum ditutup"
)
TOWER = "Tower BTS di Kukar menyebabkan kanker, warga diminta menolak pembangunan"
TOWER_VARIANT = "tower bts kukar sebabkan kanker!! warga diminta tolak pembangunannya"
ERAU = "Festival Erau tahun ini dibatalkan karena anggaran habis"


def test_normalize_drops_forwarding_noise_links_and_emoji() -> None:
    assert clustering.normalize(BLT) == (
        "bantuan blt rp 600 000 cair hari ini daftar di blt kaltim xyz sebelum ditutup"
    )
    assert "🙏" not in clustering.normalize(BLT_VARIANT)


def test_signatures_are_stable_and_sized() -> None:
    sig = clustering.minhash(BLT)
    assert len(sig) == clustering.NUM_PERM
    assert sig == clustering.minhash(BLT)
    assert clustering.minhash("🙏🙏") == []


def test_near_duplicates_are_similar_and_others_are_not() -> None:
    same = clustering.similarity(
        clustering.minhash(BLT), clustering.minhash(BLT_VARIANT)
    )
    other = clustering.similarity(clustering.minhash(BLT), clustering.minhash(TOWER))
    assert same >= clustering.THRESHOLD
    assert other < 0.1


def test_cluster_groups_variants_in_order() -> None:
    labels = clustering.cluster([BLT, TOWER, BLT_VARIANT, ERAU, TOWER_VARIANT, BLT])
    assert labels == [0, 1, 0, 2, 1, 0]


def test_best_match_returns_the_closest_above_threshold() -> None:
    candidates = [
        ("tower", clustering.minhash(TOWER)),
        ("blt", clustering.minhash(BLT)),
        ("empty", []),
    ]
    found = clustering.best_match(clustering.minhash(BLT_VARIANT), candidates)
    assert found is not None and found[0] == "blt"
    assert clustering.best_match(clustering.minhash(ERAU), candidates) is None
