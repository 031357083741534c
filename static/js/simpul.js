// Small behaviours the pages used to write inline (onclick=…, hx-on=…). The
// Content-Security-Policy runs scripts from our static files only, so they live
// here and are switched on by data- attributes.
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);

  // Signing out forgets the pages the service worker kept for reading offline
  // (simpul-pages-*), so the next person on a shared phone cannot open them. The
  // outbox is left alone: its items are unsent work, and deleting them would lose it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || form.dataset.forgetPages === undefined || !window.caches) return;
    if (form.dataset.forgotten) return;
    event.preventDefault();
    window.caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("simpul-pages-") === 0;
      }).map(function (name) { return window.caches.delete(name); }));
    }).catch(function () { /* nothing kept */ }).then(function () {
      form.dataset.forgotten = "1";
      form.submit();
    });
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.dataset && el.dataset.autosubmit !== undefined && el.form) {
      el.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-from]");
    if (!button) return;
    var source = document.getElementById(button.dataset.copyFrom);
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.value || source.textContent);
    }
    if (button.dataset.copied) button.textContent = button.dataset.copied;
  });

  // A box marked data-swap-errors shows the form that came back with its errors
  // (HTTP 400) instead of htmx's default of ignoring error responses.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var box = detail.target && detail.target.closest && detail.target.closest("[data-swap-errors]");
    if (box && detail.xhr && detail.xhr.status === 400) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  // Maps are heavy (Leaflet, boundaries): a box marked data-lazy-map loads its
  // stylesheets and scripts (data-styles, data-scripts; in order) only when it
  // is scrolled into view or its data-map-load button is tapped.
  var added = {};
  function loadMap(box) {
    if (box.dataset.loaded) return;
    box.dataset.loaded = "1";
    (box.dataset.styles || "").split(" ").filter(Boolean).forEach(function (href) {
      if (added[href]) return;
      added[href] = true;
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.appendChild(link);
    });
    (box.dataset.scripts || "").split(" ").filter(Boolean).forEach(function (src) {
      if (added[src]) return;
      added[src] = true;
      var script = document.createElement("script");
      script.src = src;
      script.async = false; // run in the order given: the library first
      document.body.appendChild(script);
    });
    var button = box.querySelector("[data-map-load]");
    if (button) button.hidden = true;
  }
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        observer.unobserve(entry.target);
        loadMap(entry.target);
      }
    });
  }, { rootMargin: "100px" }) : null;
  function watchMaps(root) {
    root.querySelectorAll("[data-lazy-map]").forEach(function (box) {
      var scripts = (box.dataset.scripts || "").split(" ").filter(Boolean);
      // A box that htmx swapped in after its scripts ran is drawn by them.
      if (scripts.length && scripts.every(function (src) { return added[src]; })) {
        loadMap(box);
      } else if (observer) {
        observer.observe(box);
      }
    });
  }
  watchMaps(document);
  document.addEventListener("htmx:afterSwap", function (event) { watchMaps(event.target); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-map-load]");
    var box = button && button.closest("[data-lazy-map]");
    if (box) loadMap(box);
  });

  // The menu is a <details>: folded on phones, always open on wider screens
  // (where its summary is hidden); on phones a tap elsewhere folds it again.
  var wide = window.matchMedia ? window.matchMedia("(min-width: 48rem)") : null;
  function menuFits() {
    document.querySelectorAll("details.menu").forEach(function (menu) {
      menu.open = !!(wide && wide.matches);
    });
  }
  menuFits();
  if (wide && wide.addEventListener) wide.addEventListener("change", menuFits);
  document.addEventListener("click", function (event) {
    if (wide && wide.matches) return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  // Region pickers (regions.forms.RegionInput): while a person types a name, the
  // datalist offers matching regions from data-pick-url. The server resolves the
  // typed text itself, so the form works without this.
  var pickTimer = null;
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.dataset || input.dataset.regionPicker === undefined) return;
    var list = input.list;
    var text = input.value;
    if (input.dataset.multiple !== undefined) text = text.split(";").pop();
    text = text.trim();
    if (!list || text.length < 2) return;
    window.clearTimeout(pickTimer);
    pickTimer = window.setTimeout(function () {
      var url = input.dataset.pickUrl + "?q=" + encodeURIComponent(text) +
        "&levels=" + encodeURIComponent(input.dataset.levels || "");
      window.fetch(url, { credentials: "same-origin" }).then(function (response) {
        return response.ok ? response.json() : { results: [] };
      }).then(function (data) {
        var prefix = "";
        if (input.dataset.multiple !== undefined && input.value.indexOf(";") >= 0) {
          prefix = input.value.slice(0, input.value.lastIndexOf(";") + 1) + " ";
        }
        list.replaceChildren.apply(list, data.results.map(function (label) {
          var option = document.createElement("option");
          option.value = prefix + label;
          return option;
        }));
      }).catch(function () { /* offline: the server resolves the text */ });
    }, 200);
  });
})();
