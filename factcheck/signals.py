"""Files of deleted image rows leave the disk with them (a tip deleted with its
claim, a fact-check deleted at the desk): a cascade deletes rows without calling
``delete()``, so this listens to ``post_delete``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete


def _file_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    name = instance.file.name if instance.file else ""
    if not name:
        return
    storage = instance.file.storage
    # After the commit: a rolled-back deletion keeps its file.
    transaction.on_commit(lambda: storage.delete(name))


def connect() -> None:
    from factcheck.models import FactCheckImage, TipImage

    for model in (FactCheckImage, TipImage):
        post_delete.connect(
            _file_delete, sender=model, dispatch_uid=f"factcheck.{model.__name__}"
        )
