// The outbox: every form a citizen or volunteer may fill without signal waits here
// (IndexedDB, so it survives a closed tab) until it is sent. Each item keeps one
// idempotency key for life, sent as the Idempotency-Key header, so a send repeated
// after a flaky reconnect makes one record (core/idempotency.py). A refusal (4xx)
// never drops an item: it stays "perlu diperbaiki" with the server's reason until
// the person fixes or deletes it. Runs in pages and in the service worker (sw.js),
// which sends on Background Sync; the page part below only runs where there is a
// document.
(function (root) {
  "use strict";
  var DB = "simpul-outbox", STORE = "items", SYNC_TAG = "simpul-outbox";
  var SENT_KEPT_MS = 3 * 24 * 3600 * 1000;
  var dbPromise = null;

  function db() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () {
        var store = req.result.createObjectStore(STORE, { keyPath: "key" });
        store.createIndex("status", "status");
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
    return dbPromise;
  }
  function tx(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(STORE, mode), result;
        var store = t.objectStore(STORE);
        Promise.resolve(work(store)).then(function (r) { result = r; });
        t.oncomplete = function () { resolve(result); };
        t.onerror = t.onabort = function () { reject(t.error); };
      });
    });
  }
  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function all() {
    return tx("readonly", function (s) { return request(s.getAll()); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.created < b.created ? -1 : 1; });
    });
  }
  function get(key) { return tx("readonly", function (s) { return request(s.get(key)); }); }
  function put(item) {
    item.updated = new Date().toISOString();
    return tx("readwrite", function (s) { return request(s.put(item)); }).then(function () {
      changed();
      return item;
    });
  }
  function remove(key) {
    return tx("readwrite", function (s) { return request(s.delete(key)); }).then(changed);
  }
  function newKey() {
    if (root.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "k-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 14);
  }
  function isQuotaError(err) {
    return !!err && (err.name === "QuotaExceededError" ||
      (err.inner && err.inner.name === "QuotaExceededError"));
  }

  var listeners = [];
  function changed() {
    listeners.forEach(function (fn) { try { fn(); } catch (e) { /* a view's problem */ } });
    if (root.BroadcastChannel) {
      try { new BroadcastChannel(DB).postMessage("changed"); } catch (e) { /* none */ }
    }
  }
  function onChange(fn) {
    listeners.push(fn);
    if (root.BroadcastChannel) new BroadcastChannel(DB).onmessage = function () { fn(); };
  }

  // --- sending ------------------------------------------------------------------

  function cookie(name) {
    if (typeof document === "undefined") return "";
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  function text(html) {
    return html.replace(/<[^>]+>/g, " ").replace(/&nbsp;/g, " ").replace(/&amp;/g, "&")
      .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
      .replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, " ").trim();
  }
  // The server's reason, from a JSON error or from the errors of a re-shown form.
  function reasonOf(body, type, fallback) {
    if (type.indexOf("json") >= 0) {
      try {
        var data = JSON.parse(body);
        var msgs = (data.errors || []).map(function (e) { return e.message; });
        return msgs.join(" ") || data.detail || fallback;
      } catch (e) { return fallback; }
    }
    var found = [], re = /<ul class="errorlist[^"]*"[^>]*>([\s\S]*?)<\/ul>/g, m;
    while ((m = re.exec(body))) found.push(text(m[1]));
    return found.join(" ") || fallback;
  }
  function buildBody(item) {
    if (item.json) return JSON.stringify(item.json);
    var data = new FormData();
    var token = cookie("csrftoken");
    (item.fields || []).forEach(function (f) {
      if (f.file) data.append(f.name, f.file, f.filename || "berkas");
      else if (f.name === "csrfmiddlewaretoken" && token) data.append(f.name, token);
      else data.append(f.name, f.value);
    });
    return data;
  }
  function sendOne(item) {
    item.status = "sending";
    item.attempts = (item.attempts || 0) + 1;
    return put(item).then(function () {
      var headers = { "Idempotency-Key": item.key, "X-Simpul-Outbox": "1",
        Accept: item.json ? "application/json" : "text/html" };
      if (item.json) headers["Content-Type"] = "application/json";
      var token = cookie("csrftoken");
      if (token) headers["X-CSRFToken"] = token;
      return fetch(item.url, { method: "POST", body: buildBody(item), headers: headers,
        credentials: "same-origin" });
    }).then(function (r) {
      return r.text().then(function (body) { return settle(item, r, body); });
    }, function () {
      item.status = "waiting";  // no connection: the next chance sends it
      return put(item);
    });
  }
  function settle(item, r, body) {
    var type = r.headers.get("Content-Type") || "";
    var msgs = item.msgs || {};
    var login = r.redirected && /\/masuk\/?(\?|$)/.test(new URL(r.url).pathname + "?");
    var csrf = r.status === 403 && /CSRF/i.test(body);
    if (login) {
      item.status = "fix";
      item.reason = msgs.login || "Masuk dulu ke akun Anda, lalu kirim lagi.";
    } else if (r.status >= 500 || r.status === 408 || r.status === 409 || r.status === 429 || csrf) {
      item.status = "waiting";  // the server's trouble, not the item's: try later
      item.reason = "";
    } else if (r.status >= 400 || (!r.redirected && /class="errorlist/.test(body))) {
      item.status = "fix";
      item.reason = reasonOf(body, type, msgs.refused || "Ditolak server; periksa isinya.");
    } else {
      item.status = "sent";
      item.reason = "";
      item.sentAt = new Date().toISOString();
      item.resultUrl = r.headers.get("X-Simpul-Location") ||
        (r.redirected ? new URL(r.url).pathname : "");
      if (type.indexOf("json") >= 0) {
        try { item.result = JSON.parse(body); } catch (e) { item.result = null; }
      }
      item.fields = [];  // the photos need not stay in the phone once sent
    }
    return put(item);
  }
  // The page and the service worker (Background Sync) may flush at the same moment:
  // one Web Lock across both makes them take turns, so the second finds the items
  // already sent instead of posting them again beside the first.
  function oneAtATime(work) {
    var locks = root.navigator && root.navigator.locks;
    if (!locks) return work();
    return locks.request("simpul-outbox", work);
  }
  var flushing = null;
  function flush() {
    if (flushing) return flushing;
    if (root.navigator && navigator.onLine === false) return Promise.resolve();
    flushing = oneAtATime(function () { return all().then(function (items) {
      var now = Date.now();
      var chain = Promise.resolve();
      items.forEach(function (item) {
        if (item.status === "sent" && now - Date.parse(item.sentAt) > SENT_KEPT_MS) {
          chain = chain.then(function () { return remove(item.key); });
        }
        // "sending" left over from a closed tab is sent again: the key keeps it one.
        if (item.status === "waiting" || item.status === "sending") {
          chain = chain.then(function () { return sendOne(item); });
        }
      });
      return chain;
    }); }).then(function () { flushing = null; }, function () { flushing = null; });
    return flushing;
  }
  function requestSync() {
    if (typeof navigator === "undefined" || !navigator.serviceWorker) return;
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync) return reg.sync.register(SYNC_TAG);
    }).catch(function () { /* no Background Sync: "online" and page open send it */ });
  }
  // Keep an item and send it now if there is signal; resolves with the item as it
  // stands after the attempt.
  function add(item) {
    item.key = item.key || newKey();
    item.created = item.created || new Date().toISOString();
    item.status = "waiting";
    item.reason = "";
    return put(item).then(function () {
      requestSync();
      return flush();
    }).then(function () { return get(item.key); });
  }

  var api = { add: add, all: all, get: get, put: put, remove: remove, flush: flush,
    onChange: onChange, newKey: newKey, isQuotaError: isQuotaError, SYNC_TAG: SYNC_TAG };
  root.SimpulOutbox = api;
  if (typeof document === "undefined") return;

  // --- pages ----------------------------------------------------------------------

  var box = document.getElementById("outbox-status");
  var strings = box ? box.dataset : {};
  function msgs() { return { login: strings.login, refused: strings.refused }; }
  function fmt(template, n) { return (template || "").replace("%(n)s", n); }

  function showStatus() {
    if (!box) return;
    all().then(function (items) {
      var waiting = items.filter(function (i) { return i.status === "waiting" || i.status === "sending"; }).length;
      var fix = items.filter(function (i) { return i.status === "fix"; }).length;
      var parts = [];
      if (waiting) parts.push(fmt(strings.waiting, waiting));
      if (fix) parts.push(fmt(strings.fix, fix));
      box.hidden = !parts.length;
      var link = box.querySelector("a");
      if (link) link.textContent = parts.join(" · ");
      box.className = fix ? "outbox-status needs-fix" : "outbox-status";
    }).catch(function () { box.hidden = true; });
  }

  function fieldsOf(form, submitter, previous) {
    var data = submitter ? new FormData(form, submitter) : new FormData(form);
    var fields = [], emptyFiles = {};
    data.forEach(function (value, name) {
      if (typeof value === "string") fields.push({ name: name, value: value });
      else if (value.size) fields.push({ name: name, file: value, filename: value.name });
      else emptyFiles[name] = true;
    });
    // A form re-opened for fixing keeps the photos already chosen unless new ones are.
    (previous || []).forEach(function (f) {
      if (f.file && emptyFiles[f.name]) fields.push(f);
    });
    return fields;
  }
  function say(form, message, kind) {
    var el = form.querySelector("[data-outbox-message]");
    if (!el) {
      el = document.createElement("p");
      el.setAttribute("data-outbox-message", "");
      el.setAttribute("aria-live", "polite");
      form.appendChild(el);
    }
    el.textContent = message;
    el.className = "report-status " + (kind || "");
  }
  function keyField(form) {
    var input = form.querySelector("input[name=idempotency_key]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "idempotency_key";
      form.appendChild(input);
    }
    if (!input.value) input.value = newKey();
    return input;
  }
  // Show the answer to a form sent while the person is on the page, as the browser
  // would have: follow the redirect, or show the page that came back.
  function showAnswer(response, body) {
    var next = response.headers.get("X-Simpul-Location");
    if (next) { location.assign(next); return; }
    if (response.redirected) { location.assign(response.url); return; }
    document.open();
    document.write(body);
    document.close();
  }

  function submitted(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-outbox]")) return;
    if (event.defaultPrevented) return;
    event.preventDefault();
    var input = keyField(form);
    var submitter = event.submitter || null;
    get(input.value).then(function (previous) {
      var item = {
        key: input.value,
        kind: form.dataset.outbox,
        title: form.dataset.outboxTitle || document.title,
        url: form.getAttribute("action") || location.pathname + location.search,
        page: location.pathname + location.search,
        fields: fieldsOf(form, submitter, previous && previous.fields),
        msgs: msgs(),
        created: previous ? previous.created : undefined,
      };
      if (navigator.onLine === false) return queued(form, item);
      return sendNow(form, item);
    }).catch(function (err) {
      say(form, isQuotaError(err) ? strings.quota : strings.failed, "error");
    });
  }
  function queued(form, item, sync) {
    return put(Object.assign(item, { status: "waiting", reason: "",
      created: item.created || new Date().toISOString() })).then(function () {
      if (sync !== false) requestSync();
      say(form, strings.saved, "ok");
      form.reset();
      keyField(form);
    });
  }
  // With signal the form goes straight out, but through the outbox, so a
  // connection lost on the way keeps it. It takes the outbox's turn like any
  // flush, and Background Sync is asked for only when this attempt did not
  // settle it: else the service worker would post the same item beside it.
  function sendNow(form, item) {
    function later() {
      requestSync();
      say(form, strings.saved, "ok");
    }
    return queued(form, item, false).then(function () {
      say(form, strings.sending, "");
      return oneAtATime(function () {
        return get(item.key).then(function (current) {
          // Sent (or refused) by another flush while this one waited its turn.
          if (!current || current.status !== "waiting") return current || null;
          var headers = { "Idempotency-Key": item.key, "X-Simpul-Outbox": "1" };
          var token = cookie("csrftoken");
          if (token) headers["X-CSRFToken"] = token;
          return fetch(item.url, { method: "POST", body: buildBody(item), headers: headers,
            credentials: "same-origin" }).then(function (r) {
            return r.text().then(function (body) {
              // Settled here is taken out before the turn passes on, so the
              // next flush cannot post it again.
              var settled = !(r.status >= 500 || r.status === 429 || r.status === 409);
              return (settled ? remove(item.key) : Promise.resolve()).then(function () {
                return { response: r, body: body, settled: settled };
              });
            });
          }, function () { return null; });
        });
      });
    }).then(function (answer) {
      if (!answer) return later();
      if (answer.response) {
        if (!answer.settled) return later();
        // Sent or refused while the person watches: the page shows it as usual.
        return showAnswer(answer.response, answer.body);
      }
      // The item as another flush left it.
      if (answer.status === "sent" && answer.resultUrl) return location.assign(answer.resultUrl);
      if (answer.status === "fix") return say(form, answer.reason, "error");
      return later();
    });
  }

  // Fixing: the Kotak keluar page opens the form's page with #outbox=<key>.
  function reopen() {
    var m = /[#&]outbox=([^&]+)/.exec(location.hash);
    if (!m) return;
    get(decodeURIComponent(m[1])).then(function (item) {
      if (!item || !item.fields) return;
      var form = document.querySelector("form[data-outbox]");
      if (!form) return;
      var seen = {};
      item.fields.forEach(function (f) {
        var els = form.elements.namedItem(f.name);
        if (!els || f.file) return;
        if (els instanceof RadioNodeList) {
          Array.prototype.forEach.call(els, function (el) {
            if (el.type === "checkbox" || el.type === "radio") {
              if (!seen[f.name]) el.checked = false;
              if (el.value === f.value) el.checked = true;
            } else if (el.type !== "file") el.value = f.value;
          });
          seen[f.name] = true;
        } else if (els.type === "checkbox") els.checked = els.value === f.value;
        else if (els.type !== "file") els.value = f.value;
      });
      keyField(form).value = item.key;
      if (item.reason) say(form, item.reason, "error");
    });
  }

  // The list of items (the Kotak keluar page, and the form pages for their kind).
  function when(iso) {
    try { return new Date(iso).toLocaleString(document.documentElement.lang || "id"); }
    catch (e) { return iso; }
  }
  function el(tag, cls, textContent) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (textContent) node.textContent = textContent;
    return node;
  }
  function renderList(list) {
    var kind = list.dataset.outboxList;
    all().then(function (items) {
      items = items.filter(function (i) { return !kind || i.kind === kind; });
      list.textContent = "";
      var empty = document.getElementById(list.dataset.outboxEmpty || "");
      if (empty) empty.hidden = !!items.length;
      items.forEach(function (item) {
        var li = el("li", "outbox-item outbox-" + item.status);
        li.setAttribute("data-key", item.key);
        li.appendChild(el("strong", "", item.title || item.kind));
        li.appendChild(el("span", "muted", " · " + when(item.created) + " "));
        li.appendChild(el("span", "outbox-state", strings["state" + item.status.charAt(0).toUpperCase() + item.status.slice(1)] || item.status));
        if (item.summary) li.appendChild(el("div", "muted", item.summary));
        if (item.reason) li.appendChild(el("div", "outbox-reason", item.reason));
        var actions = el("div", "outbox-actions");
        if (item.status === "fix") {
          var fix = el("a", "button", strings.fixLabel);
          fix.href = item.page.split("#")[0] + "#outbox=" + encodeURIComponent(item.key);
          actions.appendChild(fix);
        }
        if (item.status === "sent" && item.resultUrl) {
          var open = el("a", "", strings.openLabel);
          open.href = item.resultUrl;
          actions.appendChild(open);
        }
        if (item.status !== "sending") {
          var del = el("button", "link", strings.deleteLabel);
          del.type = "button";
          del.setAttribute("data-outbox-delete", item.key);
          actions.appendChild(del);
        }
        li.appendChild(actions);
        list.appendChild(li);
      });
    });
  }
  function renderLists() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-outbox-list]"), renderList);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-outbox-delete]");
    if (!button) return;
    if (strings.confirmDelete && !window.confirm(strings.confirmDelete)) return;
    remove(button.getAttribute("data-outbox-delete"));
  });

  // A form sent by htmx (the tip form) carries the key too, and is kept when the
  // connection is gone before or during the request.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (form.matches && form.matches("form[data-outbox]")) {
      event.detail.headers["Idempotency-Key"] = keyField(form).value;
    }
  });
  function htmxQueue(event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-outbox]")) return false;
    var input = keyField(form);
    queued(form, {
      key: input.value, kind: form.dataset.outbox,
      title: form.dataset.outboxTitle || document.title,
      url: form.getAttribute("action") || location.pathname,
      page: location.pathname + location.search,
      fields: fieldsOf(form, null, null), msgs: msgs(),
    }).catch(function (err) {
      say(form, isQuotaError(err) ? strings.quota : strings.failed, "error");
    });
    return true;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (navigator.onLine === false && htmxQueue(event)) event.preventDefault();
  });
  document.addEventListener("htmx:sendError", htmxQueue);

  function start() {
    document.addEventListener("submit", submitted);
    onChange(function () { showStatus(); renderLists(); });
    showStatus();
    renderLists();
    reopen();
    window.addEventListener("hashchange", reopen);
    flush();
  }
  window.addEventListener("online", function () { flush(); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof self !== "undefined" ? self : this);
