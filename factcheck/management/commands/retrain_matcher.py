"""Re-train the claim matcher's re-ranker from the shipped weights plus this
deployment's labelled pairs (and the shared benchmark's pairs when present),
print out-of-fold figures beside the current model's, and install the new
weights only when they are not worse.  See ``factcheck.matching.learning``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from factcheck import matching_service
from factcheck.matching import datasets, learning
from factcheck.matching.ranker import load_models
from factcheck.models import MatchPair

EMBEDDING_CACHE = datasets.REPO_ROOT / "var" / "matching-cache" / "embeddings.npz"


class Command(BaseCommand):
    help = (
        "Re-train the claim matcher's re-ranker from the shipped weights and the "
        "labelled pairs (confirmations and desk links), print out-of-fold figures "
        "beside the current model's, and install it unless it is worse."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="print the figures, install nothing"
        )
        parser.add_argument(
            "--no-shared",
            action="store_true",
            help="leave out the shared benchmark's pairs (../shared/data/factchecks)",
        )
        parser.add_argument("--folds", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        out = self.stdout
        engine = matching_service.engine()
        kind = "full" if engine.semantic_available else "lexical"
        shipped = load_models()[kind]
        current = engine.models[kind]
        info = matching_service.model_info()
        out.write(
            f"model in use: {info.get('kind')} ({kind}), match >= "
            f"{current.match_threshold}, suggest >= {current.suggest_threshold}"
        )
        examples = self._deployment(engine)
        out.write(f"{len(examples)} labelled messages from this deployment")
        if options["no_shared"]:
            out.write("shared pairs: left out (--no-shared)")
        elif not datasets.available():
            out.write(
                f"shared pairs: none found under {datasets.factchecks_dir()}; "
                "training on this deployment's pairs only"
            )
        else:
            shared = self._shared(engine)
            out.write(f"{len(shared)} labelled messages from the shared benchmark")
            examples += shared
        if not examples:
            out.write("nothing to learn from: no labelled pairs; nothing installed")
            return
        outcome = learning.retrain(
            examples, prior=shipped, current=current, folds=options["folds"]
        )
        for line in learning.format_table(outcome):
            out.write(line)
        cal = outcome.calibration
        sure = "" if cal.confidence is None else f", match on lead >= {cal.confidence}"
        out.write(
            f"thresholds: match >= {cal.match}, suggest >= {cal.suggest}{sure} "
            f"({cal.reason})"
        )
        if not outcome.install:
            out.write(f"not installed: {outcome.reason}")
            return
        if options["dry_run"]:
            out.write(f"would install ({outcome.reason}); --dry-run: nothing written")
            return
        models = {name: m.to_json() for name, m in engine.models.items()}
        models[kind] = outcome.model.to_json()
        deployment = sum(e.group == "deployment" for e in examples)
        payload = {
            "about": "re-trained by manage.py retrain_matcher",
            "retrained": {
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "model": kind,
                "pairs": deployment,
                "shared": len(examples) - deployment,
                "thresholds_calibrated": cal.calibrated,
                "match_confidence": cal.confidence,
                "figures": outcome.new["all"].row(),
                "previous": outcome.current["all"].row(),
            },
            "models": models,
        }
        path = matching_service.weights_install(payload)
        out.write(self.style.SUCCESS(f"installed ({outcome.reason}): {path}"))

    def _deployment(self, engine: Any) -> list[learning.Example]:
        """One example per tip: its text and every fact-check linked to it."""
        right: dict[int, set[str]] = defaultdict(set)
        texts: dict[int, str] = {}
        for tip_id, fc_id, text in MatchPair.objects.values_list(
            "tip_id", "factcheck_id", "text"
        ).order_by("pk"):
            right[tip_id].add(str(fc_id))
            texts[tip_id] = text
        examples = []
        for tip_id, text in texts.items():
            if not any(fc in engine for fc in right[tip_id]):
                continue  # its fact-check was withdrawn since: nothing to learn
            cands = engine.candidates(text)
            examples.append(
                learning.Example(cands.ids, cands.features, frozenset(right[tip_id]))
            )
        return examples

    def _shared(self, engine: Any) -> list[learning.Example]:
        """The shared benchmark's messages against its own corpus, matched the
        way this deployment matches (same embedding model, or lexical only)."""
        from factcheck.matching import MatchingEngine
        from factcheck.matching.engine import QUERY_MAX_CHARS
        from factcheck.matching.text import clean

        bench = datasets.load_main()
        embedder = None
        if engine.semantic_available:
            embedder = datasets.CachingEmbedder(engine.embedder, EMBEDDING_CACHE)
        other = MatchingEngine(semantic=embedder is not None, embedder=embedder)
        other.add_or_update(bench.docs)
        vectors = None
        if embedder is not None:
            vectors = embedder.queries(
                [clean(q.text[: QUERY_MAX_CHARS * 4]) for q in bench.queries]
            )
            embedder.flush()
        examples = []
        for k, q in enumerate(bench.queries):
            cands = other.candidates(
                q.text, query_vector=vectors[k] if vectors is not None else None
            )
            examples.append(
                learning.Example(cands.ids, cands.features, q.right, group="shared")
            )
        return examples
