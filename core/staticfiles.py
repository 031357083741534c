"""Static files as production serves them, under ``make run`` too."""

from __future__ import annotations

import os
from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class _KeepingCompressor(Compressor):
    """Leaves alone the compressed copies a former ``collectstatic`` wrote for the
    same file (same modification time: WhiteNoise copies it onto them). Brotli
    at its best quality takes minutes over the admin's and the API docs' big
    scripts; ``make run`` collects at every start."""

    def compress(self, path: str) -> list[str]:
        mtime = os.stat(path).st_mtime
        done = [
            path + suffix
            for suffix in (".br", ".gz")
            if os.path.exists(path + suffix)
            and os.stat(path + suffix).st_mtime == mtime
        ]
        if done:
            return done
        return list(super().compress(path))


class SimpulStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, gzip- and brotli-compressed files (``collectstatic``), with hashed
    URLs even under DEBUG: Django's manifest storage would hand out the plain
    names there, which WhiteNoise cannot cache for long. ``make run`` then weighs
    what production weighs."""

    def url(self, name: str | None, force: bool = False) -> str:
        return super().url(name, force=True)

    def create_compressor(self, **kwargs: Any) -> Compressor:
        return _KeepingCompressor(**kwargs)
