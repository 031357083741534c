"""Local stand-ins for the social platforms' APIs (no real platform is called
from tests): Meta's Graph API and login dialog (``graph``), X (``x``) and TikTok
(``tiktok``). Fixtures: ``channels.tests.fixtures``."""

from channels.social.testing.api import ApiRequest
from channels.social.testing.graph import FakeGraph, FakePage, GraphRequest, graph_error
from channels.social.testing.tiktok import FakeTikTok, tiktok_error
from channels.social.testing.x import FakeX, x_error

__all__ = [
    "ApiRequest",
    "FakeGraph",
    "FakePage",
    "FakeTikTok",
    "FakeX",
    "GraphRequest",
    "graph_error",
    "tiktok_error",
    "x_error",
]
