// "No signal here": the report goes through the outbox (static/js/outbox.js), so
// without a connection it waits in the phone and is sent when the connection
// returns; a report the server refuses (a village name it cannot place) stays
// "perlu diperbaiki" with the reason until the person fixes or deletes it. The
// village is resolved on the phone too, from the list in the page, with the same
// tolerant matching as the server (static/js/names.js).
(function () {
  var form = document.getElementById("report-form");
  if (!form || !window.SimpulOutbox) return;
  var outbox = window.SimpulOutbox;
  var KIND = "sinyal";
  var status = document.getElementById("report-status");
  var d = form.dataset;

  function say(msg, kind) {
    status.textContent = msg;
    status.className = "report-status " + (kind || "");
  }
  function show() {
    outbox.all().then(function (items) {
      var n = items.filter(function (i) {
        return i.kind === KIND && (i.status === "waiting" || i.status === "sending");
      }).length;
      var waiting = document.getElementById("report-waiting");
      if (waiting) waiting.textContent = n ? d.waiting.replace("%(n)s", n) : "";
    });
  }
  var places = null;
  function villages() {
    if (places) return places;
    places = Array.prototype.map.call(document.querySelectorAll("#villages option"), function (o) {
      var m = /^(\S+) ([^,]*)(?:, (.*))?$/.exec(o.value) || [];
      return { kode: m[1], name: m[2] || "", parent: m[3] || "" };
    });
    return places;
  }
  // The code of the village typed, when the phone can tell; else the text as typed,
  // for the server to resolve (or refuse, with its reason).
  function region(text) {
    text = (text || "").trim();
    if (!text || !window.SimpulNames) return text || null;
    var found = SimpulNames.resolve(text, villages());
    if (found.kode) return found.kode;
    return found.matches.length === 1 ? found.matches[0].kode : text;
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
    var typed = (f.region.value || "").trim();
    var body = {
      idempotency_key: f.idempotency_key.value || outbox.newKey(),
      region: region(typed),
      within: d.within || null,
      lat: f.lat.value ? Number(f.lat.value) : null,
      lng: f.lng.value ? Number(f.lng.value) : null,
      technology: f.technology.value,
      operator: f.operator.value || "",
      note: f.note.value || "",
      observed_at: new Date().toISOString(),
    };
    if (!body.region && body.lat === null) { say(d.needPlace, "error"); return; }
    var item = {
      key: body.idempotency_key, kind: KIND, title: d.title, url: d.api,
      page: location.pathname, json: body, typed: typed,
      summary: [typed, f.technology.options[f.technology.selectedIndex].text, body.note]
        .filter(Boolean).join(" · "),
      msgs: { refused: d.refused },
    };
    f.idempotency_key.value = outbox.newKey();  // the next report gets its own key
    outbox.add(item).then(function (kept) {
      if (kept.status === "sent") {
        say(d.sent.replace("%(name)s", (kept.result || {}).region_name || typed), "ok");
        f.note.value = "";
      } else if (kept.status === "fix") {
        say(d.needsFix + " " + kept.reason, "error");
      } else {
        say(d.savedOffline, "ok");
      }
      if (location.hash) history.replaceState(null, "", location.pathname + location.search);
    }, function (err) {
      say(outbox.isQuotaError(err) ? d.quota : d.needsFix, "error");
    });
  });

  // Fixing a refused report: the outbox list links here with #outbox=<key>.
  function reopen() {
    var m = /[#&]outbox=([^&]+)/.exec(location.hash);
    if (!m) return;
    outbox.get(decodeURIComponent(m[1])).then(function (item) {
      if (!item || !item.json) return;
      var f = form.elements, b = item.json;
      f.idempotency_key.value = item.key;
      f.region.value = item.typed || b.region || "";
      f.lat.value = b.lat === null ? "" : b.lat;
      f.lng.value = b.lng === null ? "" : b.lng;
      f.technology.value = b.technology;
      f.operator.value = b.operator;
      f.note.value = b.note;
      say(d.needsFix + " " + (item.reason || ""), "error");
      f.region.focus();
    });
  }

  // Reports kept by the release before the outbox (localStorage) move into it, keys
  // and all, so they are still sent (or shown for fixing), and only once.
  function adoptOldQueue() {
    var OLD = "simpul.sinyal.reports", old;
    try { old = JSON.parse(localStorage.getItem(OLD) || "[]"); } catch (e) { old = []; }
    if (!old.length) return Promise.resolve();
    return Promise.all(old.map(function (body) {
      return outbox.put({
        key: body.idempotency_key, kind: KIND, title: d.title, url: d.api,
        page: location.pathname, json: body, typed: body.region || "",
        summary: [body.region, body.note].filter(Boolean).join(" · "),
        msgs: { refused: d.refused }, status: "waiting", reason: "",
        created: body.observed_at || new Date().toISOString(),
      });
    })).then(function () { localStorage.removeItem(OLD); return outbox.flush(); });
  }

  if (!form.elements.idempotency_key.value) form.elements.idempotency_key.value = outbox.newKey();
  adoptOldQueue().catch(function () { /* kept where it was; tried again next time */ });
  outbox.onChange(show);
  window.addEventListener("hashchange", reopen);
  reopen();
  show();
})();
