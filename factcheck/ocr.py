"""Text in images, read by Tesseract (Debian ``tesseract-ocr`` and
``tesseract-ocr-ind``), without Django.

Tesseract runs as a subprocess on one thread (``OMP_THREAD_LIMIT=1``: several
at once on a small server beat one that takes every core). When the program or
the Indonesian language data is missing, ``available()`` says why and
``read_text`` returns ``""``: image tips are still matched by their picture.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess

from PIL import Image, ImageOps

LANGS = "ind+eng"
TIMEOUT_S = 30
# Tesseract reads text of 20-40 px best: small screenshots are enlarged first
# (to 1000 px: as accurate as 1400 on the bench, four times faster).
MIN_WIDTH = 1000
MAX_WIDTH = 2400
MIN_LETTERS = 20  # fewer read: try again as one block of text


@functools.cache
def available() -> tuple[bool, str]:
    """``(True, "")``, or ``(False, reason)``; asked once per process."""
    program = shutil.which("tesseract")
    if program is None:
        return False, "tesseract is not installed (apt install tesseract-ocr)"
    try:
        done = subprocess.run(  # noqa: S603 (fixed arguments, no user input)
            [program, "--list-langs"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"tesseract does not run: {exc.__class__.__name__}"
    langs = set((done.stdout + done.stderr).split())
    missing = [lang for lang in LANGS.split("+") if lang not in langs]
    if missing:
        return False, (
            f"tesseract has no {'+'.join(missing)} data (apt install tesseract-ocr-ind)"
        )
    return True, ""


def prepare(image: Image.Image) -> Image.Image:
    """Greyscale, contrast stretched, scaled to a width Tesseract reads well."""
    grey = ImageOps.autocontrast(image.convert("L"), cutoff=1)
    width = grey.width
    target = min(max(width, MIN_WIDTH), MAX_WIDTH)
    if target != width:
        height = max(1, round(grey.height * target / width))
        grey = grey.resize((target, height), Image.Resampling.LANCZOS)
    return grey


def read_text(image: Image.Image, *, timeout: float = TIMEOUT_S) -> str:
    """The image's text (lines joined with newlines), or ``""`` when Tesseract
    is missing, fails or takes too long."""
    ok, _ = available()
    program = shutil.which("tesseract")
    if not ok or program is None:
        return ""
    buffer = io.BytesIO()
    prepare(image).save(buffer, "PNG")
    text = _tesseract(program, buffer.getvalue(), "3", timeout)
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        # Automatic page layout sometimes finds no text block at all in a
        # small, tilted screenshot; one uniform block reads it.
        block = _tesseract(program, buffer.getvalue(), "6", timeout)
        text = block if len(block) > len(text) else text
    return text


def _tesseract(program: str, png: bytes, psm: str, timeout: float) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        # The picture goes in on stdin; the arguments are fixed.
        done = subprocess.run(  # noqa: S603
            [program, "stdin", "stdout", "-l", LANGS, "--psm", psm],
            input=png,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    if done.returncode != 0:
        return ""
    text = done.stdout.decode("utf-8", errors="replace")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
