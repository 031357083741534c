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
        style: { color: "#2a7fba", weight: 1, fillOpacity: 0.08 },
        onEachFeature: function (feature, layer) {
          var a = document.createElement("a");
          a.href = feature.properties.url;
          a.textContent = feature.properties.name;
          layer.bindTooltip(feature.properties.name);
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
