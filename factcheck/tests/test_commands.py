"""import_factchecks, match_claims and rebuild_matching_index."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from factcheck import matching_service
from factcheck.models import FactCheck
from factcheck.tests.conftest import CORPUS, KNOWN_HOAX, NEW_RUMOUR

pytestmark = pytest.mark.django_db


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text(
        "\n".join(json.dumps(r) if isinstance(r, dict) else r for r in rows)
    )
    return path


def test_import_jsonl_is_idempotent_reports_bad_lines_and_indexes(
    tmp_path: Path, capsys
) -> None:
    rows = [*CORPUS[:3], "{broken", {"title": "no id"}, CORPUS[3]]
    source = write_jsonl(tmp_path / "fc.jsonl", rows)
    call_command("import_factchecks", str(source))
    out, err = capsys.readouterr()
    assert "4 created" in out and "2 rejected" in out
    assert "line 4: not JSON" in err and "line 5: external_id is missing" in err
    assert FactCheck.objects.count() == 4
    assert matching_service.match(KNOWN_HOAX)["matches"][0]["external_id"] == "t-blt"
    # The index on disk is up to date when the command returns.
    assert (matching_service.index_path() / "simpul-generation").read_text() == str(
        matching_service.state().generation
    )
    call_command("import_factchecks", str(source))
    assert "0 created, 0 updated, 4 unchanged" in capsys.readouterr().out
    changed = {**CORPUS[0], "title": "Tautan BLT palsu blt-kaltim-2026.xyz"}
    write_jsonl(source, [changed])
    call_command("import_factchecks", str(source), "--format", "jsonl")
    assert "1 updated" in capsys.readouterr().out
    assert FactCheck.objects.get(external_id="t-blt").title.startswith("Tautan BLT")


def test_import_csv_and_claimreview(tmp_path: Path, capsys) -> None:
    csv = tmp_path / "fc.csv"
    csv.write_text(
        "external_id,title,verdict,url\n"
        "c-1,Tower BTS Kukar sebabkan kanker,SALAH,https://e.example/1\n"
        "c-2,Vonis aneh,KUCING,\n"
    )
    call_command("import_factchecks", str(csv))
    out, err = capsys.readouterr()
    assert "1 created" in out and "line 3: unknown verdict 'KUCING'" in err
    page = tmp_path / "artikel.html"
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://e.example/1",
        "claimReviewed": "Tower BTS Kukar sebabkan kanker",
        "author": {"name": "Cek Fakta Contoh"},
        "reviewRating": {"alternateName": "Hoaks"},
    }
    page.write_text(
        f'<html><script type="application/ld+json">{json.dumps(review)}</script></html>'
    )
    call_command("import_factchecks", str(page))
    # Same URL as c-1: updated, not duplicated.
    assert "1 updated" in capsys.readouterr().out
    assert FactCheck.objects.get().verdict == "hoaks"


def test_import_a_malformed_file_stores_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    with pytest.raises(CommandError):
        call_command("import_factchecks", str(bad))
    with pytest.raises(CommandError):
        call_command("import_factchecks", str(tmp_path / "missing.jsonl"))
    with pytest.raises(CommandError):
        call_command("import_factchecks", str(tmp_path / "x.txt"))
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\x00\x01\x02\n\xff\xfe\n")
    call_command("import_factchecks", str(binary))
    assert not FactCheck.objects.exists()


def test_match_claims_writes_results_in_input_order(
    tmp_path: Path, corpus, capsys
) -> None:
    queries = write_jsonl(
        tmp_path / "q.jsonl",
        [
            {"id": "a", "text": KNOWN_HOAX},
            {"id": "b", "text": NEW_RUMOUR},
            {"id": "c", "text": "🔥🔥"},
            {"id": "d", "text": "Tower BTS di Kukar bikin kanker, tolak!"},
        ],
    )
    output = tmp_path / "r.jsonl"
    call_command(
        "match_claims", "--input", str(queries), "--output", str(output), "--top", "3"
    )
    rows = [json.loads(line) for line in output.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c", "d"]
    assert rows[0]["decision"] == "match"
    assert rows[0]["matches"][0] == {
        "external_id": "t-blt",
        "score": rows[0]["matches"][0]["score"],
        "verdict": "PENIPUAN",
        "title": CORPUS[0]["title"],
    }
    assert all(len(r["matches"]) <= 3 for r in rows)
    assert rows[2]["decision"] == "invalid"
    assert rows[3]["matches"][0]["external_id"] == "t-tower"


def test_rebuild_matching_index(corpus, capsys) -> None:
    call_command("rebuild_matching_index")
    assert f"{len(corpus)} fact-checks indexed" in capsys.readouterr().out
    assert matching_service.index_path().is_dir()
