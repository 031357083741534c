// Draws a region and its children on a Leaflet map. The boundaries come from our
// own server, simplified for the map's zoom, so the map is useful even without
// background tiles; those are optional (a checkbox, remembered on this phone).
(function () {
  var el = document.getElementById("map");
  if (!el) return;
  var note = document.getElementById("map-note");
  if (typeof L === "undefined") {
    if (note) note.textContent = el.dataset.noLeaflet;
    return;
  }
  var map = L.map(el, { zoomSnap: 0.5 });
  // A choropleth when the page gives values per child region (a JSON script
  // block named by data-values): {kode: {v: 0-100 or null, label, url}}, drawn
  // in the classes of the page's legend ([data-map-class], lowest first).
  var values = null;
  var source = el.dataset.values && document.getElementById(el.dataset.values);
  if (source) {
    try { values = JSON.parse(source.textContent); } catch (e) { values = null; }
  }
  var classes = Array.prototype.map.call(
    document.querySelectorAll("[data-map-class]"),
    function (item) { return { from: Number(item.dataset.from), color: item.dataset.mapClass }; }
  );
  function shade(v) {
    if (v === null || v === undefined) return "#dddddd";
    var color = "#dddddd";
    classes.forEach(function (c) { if (v >= c.from) color = c.color; });
    return color;
  }
  var tiles = null;
  var toggle = document.querySelector("[data-map-tiles]");
  var KEY = "simpul.mapTiles";

  function setTiles(on) {
    if (on && !tiles && el.dataset.tiles) {
      tiles = L.tileLayer(el.dataset.tiles, {
        maxZoom: 18,
        attribution: el.dataset.tilesAttribution,
      }).addTo(map);
      tiles.on("tileerror", function () {
        if (note) note.textContent = el.dataset.noTiles;
      });
    } else if (!on && tiles) {
      map.removeLayer(tiles);
      tiles = null;
    }
  }
  var wanted = false;
  try { wanted = window.localStorage.getItem(KEY) === "1"; } catch (e) { /* private mode */ }
  if (toggle) {
    toggle.checked = wanted;
    toggle.addEventListener("change", function () {
      try { window.localStorage.setItem(KEY, toggle.checked ? "1" : "0"); } catch (e) { /* ignore */ }
      setTiles(toggle.checked);
    });
  }
  setTiles(wanted);
  if (!el.dataset.tiles && note) note.textContent = el.dataset.noTiles;
  map.setView([el.dataset.lat, el.dataset.lng], Number(el.dataset.zoom) || 8);
  fetch(el.dataset.src, { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var outline = L.geoJSON(data.region, {
        style: { color: "#0b6e4f", weight: 2, fill: false },
        interactive: false,
      }).addTo(map);
      L.geoJSON(data.children, {
        style: function (feature) {
          if (!values) return { color: "#2a7fba", weight: 1, fillOpacity: 0.08 };
          var entry = values[feature.properties.kode];
          return { color: "#555", weight: 1, fillOpacity: 0.7,
            fillColor: shade(entry ? entry.v : null) };
        },
        onEachFeature: function (feature, layer) {
          var entry = values && values[feature.properties.kode];
          var label = feature.properties.name + (entry ? ": " + entry.label : "");
          var a = document.createElement("a");
          a.href = (entry && entry.url) || feature.properties.url;
          a.textContent = label;
          layer.bindTooltip(label);
          layer.bindPopup(a);
        },
      }).addTo(map);
      if (outline.getBounds().isValid()) map.fitBounds(outline.getBounds());
      el.dataset.ready = "1";
    })
    .catch(function () {
      if (note) note.textContent = el.dataset.noData;
    });
})();
