"""``manage.py retrain_matcher``: figures beside the current model's, refusal of
a worse model, atomic install picked up by matching without a restart."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from factcheck import matching_service, services
from factcheck.matching import learning
from factcheck.models import Channel, FactCheck
from factcheck.services.confirmations import pair_record

pytestmark = pytest.mark.django_db

# Messages as they circulate, each with the fact-check that answers it.
MESSAGES = {
    "t-blt": [
        "daftar BLT 600 ribu di blt-kaltim-2026.xyz cepat sebelum ditutup",
        "Bantuan langsung tunai Rp600rb, isi NIK di link blt kaltim",
    ],
    "t-tower": [
        "tower BTS baru di desa bikin kanker, tolak!!",
        "menara sinyal di kukar penyebab kanker warga",
    ],
    "t-ikn": [
        "warga dekat IKN disuruh kosongkan rumah tanpa ganti rugi",
        "rumah sekitar ikn harus dikosongkan, tidak ada ganti rugi",
    ],
    "t-loker": [
        "loker proyek IKN bayar pendaftaran 250rb dulu",
        "lowongan kerja IKN, biaya daftar Rp250.000",
    ],
    "t-pln": [
        "listrik samarinda balikpapan padam 3 hari total",
        "PLN padamkan listrik Balikpapan tiga hari",
    ],
    "t-erau": [
        "festival erau batal tahun ini katanya",
        "Erau dibatalkan ya tahun ini?",
    ],
    "t-pesut": [
        "pesut mahakam dikasih wifi gratis wkwk",
        "ada wifi gratis di pesut mahakam",
    ],
    "t-vaksin": [
        "vaksin campak bikin anak lumpuh, jangan ke posyandu",
        "anak lumpuh setelah vaksin campak",
    ],
}


def _pairs() -> int:
    made = 0
    for external_id, texts in MESSAGES.items():
        factcheck = FactCheck.objects.get(external_id=external_id)
        for text in texts:
            outcome = services.tip_submit(channel=Channel.API, text=text)
            assert outcome.tip is not None
            pair_record(tip=outcome.tip, factcheck=factcheck, source="desk")
            made += 1
    return made


def _install_bad_current() -> dict:
    """A deployment model that ranks backwards (weights negated)."""
    engine = matching_service.engine()
    models = {name: m.to_json() for name, m in engine.models.items()}
    for m in models.values():
        m["weights"] = [-w for w in m["weights"]]
        m["bias"] = -3.0
    payload = {"retrained": {"at": "2026-01-01T00:00:00+00:00", "pairs": 1}}
    payload["models"] = models
    matching_service.weights_install(payload)
    return payload


def _run(*args: str) -> str:
    out = StringIO()
    call_command("retrain_matcher", *args, stdout=out)
    return out.getvalue()


def _top(text: str) -> str:
    return matching_service.match(text)["matches"][0]["external_id"]


@pytest.fixture
def no_shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SIMPUL_SHARED_DATA", str(tmp_path / "absent"))
    return tmp_path


def test_a_dry_run_prints_figures_and_installs_nothing(corpus, no_shared) -> None:
    _pairs()
    bad = _install_bad_current()
    path = matching_service.weights_path()
    before = path.read_bytes()
    out = _run("--dry-run", "--folds", "3")
    assert "16 labelled messages from this deployment" in out
    assert "shared pairs: none found under" in out
    for label in ("R@1", "R@3", "MAP@5", "match: precision", "match: coverage"):
        assert label in out
    assert "would install" in out and "nothing written" in out
    assert path.read_bytes() == before
    assert json.loads(before)["models"] == bad["models"]


def test_a_better_model_is_installed_and_used_without_a_restart(
    corpus, no_shared
) -> None:
    made = _pairs()
    _install_bad_current()
    engine = matching_service.engine()
    assert matching_service.model_info()["kind"] == "retrained"
    message = MESSAGES["t-erau"][0]
    assert _top(message) != "t-erau"  # the backwards model in use
    kind = "full" if engine.semantic_available else "lexical"
    thresholds = (engine.match_threshold, engine.suggest_threshold)

    out = _run("--folds", "3")

    assert "installed (MAP@5" in out
    # Fewer than 40 pairs: the thresholds in use are kept, and it says so.
    assert "fewer than 40" in out and "current thresholds are kept" in out
    data = json.loads(matching_service.weights_path().read_text())
    assert data["retrained"]["pairs"] == made and data["retrained"]["model"] == kind
    saved = data["models"][kind]
    assert (saved["match_threshold"], saved["suggest_threshold"]) == pytest.approx(
        thresholds
    )
    # The same process, no reset: the next match uses the new file.
    assert matching_service.engine() is engine
    assert _top(message) == "t-erau"
    info = matching_service.model_info()
    assert info["kind"] == "retrained" and info["pairs"] == made
    no_tmp = [p for p in matching_service.weights_path().parent.iterdir()]
    assert not [p for p in no_tmp if ".tmp-" in p.name]


def test_a_worse_model_is_refused(
    corpus, no_shared, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pairs()
    honest_fit = learning.fit_from_prior

    def backwards(prior, x, y, **kwargs):  # a fit that learned the wrong way round
        out = honest_fit(prior, x, y)
        out.weights = -out.weights
        return out

    monkeypatch.setattr(learning, "fit_from_prior", backwards)
    out = _run("--no-shared", "--folds", "3")
    assert "shared pairs: left out (--no-shared)" in out
    assert "not installed: worse than the current model" in out
    assert not matching_service.weights_path().exists()
    assert matching_service.model_info()["kind"] == "shipped"


def test_without_pairs_nothing_is_installed(corpus, no_shared) -> None:
    out = _run("--no-shared")
    assert "no labelled pairs" in out
    assert not matching_service.weights_path().exists()


def test_the_shared_pairs_are_read_when_present(
    corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pairs()
    folder = tmp_path / "shared" / "factchecks"
    folder.mkdir(parents=True)
    docs = [
        {"external_id": f"s-{k}", "title": t, "verdict": "hoaks", "source": "x"}
        for k, t in enumerate(
            ["Gempa besar Samarinda besok pagi", "Beras plastik beredar di pasar"]
        )
    ]
    queries = [
        {"id": "q1", "text": "besok pagi gempa besar di samarinda", "expected": "s-0"},
        {"id": "q2", "text": "awas beras plastik di pasar", "expected": "s-1"},
    ]
    (folder / "corpus_2024.jsonl").write_text(
        "".join(json.dumps(d) + "\n" for d in docs)
    )
    (folder / "queries_2024.jsonl").write_text(
        "".join(json.dumps(q) + "\n" for q in queries)
    )
    monkeypatch.setenv("SIMPUL_SHARED_DATA", str(tmp_path / "shared"))
    out = _run("--dry-run", "--folds", "2")
    assert "2 labelled messages from the shared benchmark" in out
    assert "shared (2 messages" in out and "deployment (16 messages" in out
    assert "all (18 messages" in out


def test_an_unreadable_weights_file_means_the_shipped_model(corpus) -> None:
    matching_service.engine()
    path = matching_service.weights_path()
    path.write_text("{not json")
    matching_service.match("festival erau")
    info = matching_service.model_info()
    assert info["kind"] == "shipped" and "error" in info
    path.unlink()


def test_the_dashboard_says_which_model_and_thresholds_are_in_use(
    client, corpus, no_shared, make_user
) -> None:
    from accounts.models import Role

    checker = make_user(Role.FACT_CHECKER, "64")
    client.force_login(checker)
    html = client.get("/staf/").content.decode()
    assert 'id="matcher-model"' in html and "Pemeringkat bawaan" in html
    _pairs()
    _install_bad_current()
    _run("--folds", "3")
    html = client.get("/staf/").content.decode()
    line = html.split('id="matcher-model"')[1].split("</p>")[0]
    assert "dilatih ulang pada" in line and "dari 16 pasangan berlabel" in line
    engine = matching_service.engine()
    shown = str(round(engine.match_threshold, 4)).replace(".", ",")  # id locale
    assert f"cocok pasti mulai {shown}" in line
    assert 'data-decision="suggest"' in html  # beside the 30-day figures


def test_the_dashboard_names_the_lead_rule_when_it_decides(
    client, corpus, make_user
) -> None:
    from accounts.models import Role

    engine = matching_service.engine()
    models = {name: m.to_json() for name, m in engine.models.items()}
    for m in models.values():
        m["match_confidence"] = 0.61
    matching_service.weights_install(
        {
            "retrained": {"at": "2026-11-30T01:00:00+00:00", "pairs": 52},
            "models": models,
        }
    )
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    html = client.get("/staf/").content.decode()
    line = html.split('id="matcher-model"')[1].split("</p>")[0]
    assert "dari 52 pasangan berlabel" in line and "30 Nov 2026" in line
    assert "jelas unggul dari yang berikutnya (keyakinan mulai 0,61)" in line
