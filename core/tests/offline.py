"""Browser helpers for the offline tests: a phone-sized page that was opened once
(so the service worker kept it) and then lost its connection."""

from __future__ import annotations

# Resolves once the service worker controls the page and keeps its copy of it.
# On a loaded machine (CI) the worker may still be installing when the page's
# one "keep" message (static/js/sw-register.js) arrives: the message is asked
# again every 5 s, as the next visit would, for up to 30 s. It goes to the active
# worker even before that worker has claimed the page (clientsClaim may come late):
# the worker keeps the address it is sent either way.
KEPT = """async () => {
  const reg = await navigator.serviceWorker.ready;
  for (let i = 0; i < 300; i++) {
    const worker = navigator.serviceWorker.controller || reg.active;
    if (worker) {
      for (const name of await caches.keys()) {
        if (!name.startsWith("simpul-pages")) continue;
        const cache = await caches.open(name);
        if (await cache.match(location.href)) return true;
      }
      if (i % 50 === 49) worker.postMessage({ type: "keep", url: location.href });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}"""


def phone(page):  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 360, "height": 740})
    return page


def open_then_go_offline(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    assert page.evaluate(KEPT), "the page was not kept for offline use"
    page.context.set_offline(True)
    page.reload()
