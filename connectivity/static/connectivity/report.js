// "No signal here": the report is sent to the API; without a connection it waits in
// the phone (localStorage) and is sent when the connection returns. Each report has
// its own key, so a report sent twice is stored once.
(function () {
  var form = document.getElementById("report-form");
  if (!form) return;
  var QUEUE = "simpul.sinyal.reports";
  var status = document.getElementById("report-status");
  var d = form.dataset;

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "r-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(QUEUE, JSON.stringify(items)); show(); }
  function say(msg, kind) {
    status.textContent = msg;
    status.className = "report-status " + (kind || "");
  }
  function show() {
    var n = queue().length;
    var waiting = document.getElementById("report-waiting");
    if (waiting) waiting.textContent = n ? d.waiting.replace("%(n)s", n) : "";
  }
  function send(item) {
    return fetch(d.api, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(item),
      credentials: "same-origin",
    });
  }
  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return;
    var items = queue();
    if (!items.length) return;
    flushing = true;
    var item = items[0];
    send(item).then(function (r) {
      if (r.status === 429 || r.status >= 500) throw new Error("retry");
      // Sent (200/201) or refused for good (400): either way it leaves the queue.
      save(queue().filter(function (x) { return x.idempotency_key !== item.idempotency_key; }));
      if (r.ok) say(d.sentLater, "ok");
      flushing = false;
      flush();
    }).catch(function () { flushing = false; });
  }

  var geo = document.getElementById("use-location");
  if (geo && navigator.geolocation) {
    geo.hidden = false;
    geo.addEventListener("click", function () {
      say(d.locating);
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.lat.value = pos.coords.latitude.toFixed(6);
        form.elements.lng.value = pos.coords.longitude.toFixed(6);
        say(d.located.replace("%(lat)s", pos.coords.latitude.toFixed(4)).replace("%(lng)s", pos.coords.longitude.toFixed(4)), "ok");
      }, function () { say(d.noLocation, "error"); }, { timeout: 15000, maximumAge: 60000 });
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = form.elements;
    var region = (f.region.value || "").trim().split(" ")[0];
    var item = {
      idempotency_key: f.idempotency_key.value || newKey(),
      region: region || null,
      lat: f.lat.value ? Number(f.lat.value) : null,
      lng: f.lng.value ? Number(f.lng.value) : null,
      technology: f.technology.value,
      operator: f.operator.value || "",
      note: f.note.value || "",
      observed_at: new Date().toISOString(),
    };
    if (!item.region && item.lat === null) { say(d.needPlace, "error"); return; }
    f.idempotency_key.value = newKey();  // the next report gets its own key
    function keep() {
      var items = queue(); items.push(item); save(items);
      say(d.savedOffline, "ok");
    }
    if (!navigator.onLine) { keep(); return; }
    send(item).then(function (r) {
      if (r.status === 429 || r.status >= 500) { keep(); return null; }
      return r.json().then(function (body) {
        if (r.ok) { say(d.sent.replace("%(name)s", body.region_name), "ok"); form.elements.note.value = ""; }
        else {
          var msg = (body.errors || []).map(function (e) { return e.message; }).join(" ") || body.detail;
          say(msg, "error");
        }
      });
    }).catch(keep);
  });

  if (!form.elements.idempotency_key.value) form.elements.idempotency_key.value = newKey();
  window.addEventListener("online", flush);
  show();
  flush();
})();
