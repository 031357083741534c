"""The fact-check corpus the claim benches read (real data, in the shared folder
``SIMPUL_SHARED_DATA``, never shipped): its files, and the JSON-lines reader."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SIMPUL_SHARED_DATA", REPO.parent / "shared" / "data"))
DATA = SHARED / "factchecks"
CORPUS = DATA / "corpus_2024.jsonl"
QUERIES = DATA / "queries_2024.jsonl"
TWINS = DATA / "twins_2024.json"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
