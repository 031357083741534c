// The service worker, with Workbox (npm): the app shell precached, citizen and
// volunteer pages network-first with the last copy for when there is no signal,
// the offline page for everything else, and the outbox sent on Background Sync.
// Its settings come from /sw.js (core/pwa.py) as self.SIMPUL_SW; a new release has
// a new `release`, and its caches replace the old ones whole on activation.
/* global workbox, SimpulOutbox */
(function () {
  "use strict";
  var cfg = self.SIMPUL_SW;
  importScripts(cfg.workbox);
  workbox.setConfig({ modulePathPrefix: cfg.workboxPrefix, debug: false });
  importScripts(cfg.outbox);

  var PAGES = "simpul-pages-" + cfg.release;
  var STATIC = "simpul-static-" + cfg.release;
  workbox.core.setCacheNameDetails({ prefix: "simpul", suffix: cfg.release });
  workbox.core.skipWaiting();
  workbox.core.clientsClaim();

  workbox.precaching.precacheAndRoute(cfg.precache.map(function (url) {
    return { url: url, revision: cfg.release };
  }), { ignoreURLParametersMatching: [/.*/] });
  workbox.precaching.cleanupOutdatedCaches();

  var patterns = cfg.pages.map(function (p) { return new RegExp(p); });
  function isKeptPage(url) {
    return url.origin === self.location.origin &&
      patterns.some(function (re) { return re.test(url.pathname); });
  }
  var pages = new workbox.strategies.NetworkFirst({
    cacheName: PAGES,
    networkTimeoutSeconds: 6,
    plugins: [
      new workbox.expiration.ExpirationPlugin({ maxEntries: 80, maxAgeSeconds: 30 * 86400 }),
    ],
  });
  workbox.routing.registerRoute(function (o) {
    return o.request.mode === "navigate" && isKeptPage(o.url);
  }, pages);
  workbox.routing.registerRoute(function (o) {
    return o.url.origin === self.location.origin && o.url.pathname.indexOf(cfg.staticUrl) === 0;
  }, new workbox.strategies.StaleWhileRevalidate({
    cacheName: STATIC,
    plugins: [new workbox.expiration.ExpirationPlugin({ maxEntries: 120 })],
  }));
  // Other pages come from the network only; without it, the offline page.
  workbox.routing.setDefaultHandler(new workbox.strategies.NetworkOnly());
  workbox.routing.setCatchHandler(function (o) {
    if (o.request.mode === "navigate") {
      // The page as last read; else the same page with other parameters (a
      // report form opened for another village); else the offline page.
      return caches.open(PAGES).then(function (cache) {
        return cache.match(o.request).then(function (hit) {
          return hit || cache.match(o.request, { ignoreSearch: true });
        });
      }).then(function (hit) {
        return hit || workbox.precaching.matchPrecache(cfg.offline);
      });
    }
    return Response.error();
  });

  // The pages a person may need first without signal, kept from the start.
  self.addEventListener("install", function (event) {
    event.waitUntil(caches.open(PAGES).then(function (cache) {
      return Promise.all(cfg.warm.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (r) {
          if (r.ok && !r.redirected) return cache.put(url, r);
        }).catch(function () { /* kept on its first visit instead */ });
      }));
    }));
  });

  // A release's caches replace the ones before it.
  self.addEventListener("activate", function (event) {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("simpul-") === 0 && name.indexOf(cfg.release) < 0;
      }).map(function (name) { return caches.delete(name); }));
    }));
  });

  // The page asks to keep itself (read before this worker controlled it).
  self.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type !== "keep" || !data.url) return;
    var url = new URL(data.url);
    if (!isKeptPage(url)) return;
    event.waitUntil(caches.open(PAGES).then(function (cache) {
      return cache.match(url.href).then(function (hit) {
        if (hit) return null;
        return fetch(url.href, { credentials: "same-origin" }).then(function (r) {
          if (r.ok && !r.redirected) return cache.put(url.href, r);
          return null;
        });
      });
    }).catch(function () { /* offline now: kept on the next visit */ }));
  });

  self.addEventListener("sync", function (event) {
    if (event.tag === SimpulOutbox.SYNC_TAG) event.waitUntil(SimpulOutbox.flush());
  });
})();
