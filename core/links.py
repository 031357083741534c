"""Absolute links for what leaves the site: e-mails, WhatsApp and SMS texts,
the KIM network's text, calendar files, feeds.

A message is read later, elsewhere, so its links cannot come from the request
that happened to build it (a worker has none; a staff member may be on an
internal address): they all start with ``settings.SITE_URL``, the public
address of the deployment (``bin/run-dev`` sets it to the address it serves).
"""

from __future__ import annotations

from django.conf import settings


def site_url(path: str = "/") -> str:
    """``path`` (``/cek-fakta/3/``) as an absolute link on ``SITE_URL``."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")
