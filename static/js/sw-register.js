// Installs the service worker (served from the site root, see core/pwa.py), and asks
// it to keep the page open now: a page read before the worker took control would
// otherwise not open offline until its next visit.
(function () {
  if (!("serviceWorker" in navigator)) return;
  var script = document.getElementById("sw-register");
  var url = script && script.dataset.sw;
  if (!url) return;
  navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {
    /* an old browser or a private window: the site works without it */
  });
  navigator.serviceWorker.ready.then(function (reg) {
    var worker = navigator.serviceWorker.controller || reg.active;
    if (worker) worker.postMessage({ type: "keep", url: location.href });
  });
})();
