// Markers of the KIMs listed in the directory (their own point, else their
// village's representative point). Redrawn when htmx swaps the results.
(function () {
  var map = null;
  var layer = null;
  function draw() {
    var el = document.getElementById("map");
    if (!el) return;
    var note = document.getElementById("map-note");
    if (typeof L === "undefined") {
      if (note) note.textContent = el.dataset.noLeaflet;
      return;
    }
    if (map) { map.remove(); map = null; }
    map = L.map(el, { zoomSnap: 0.5 }).setView([el.dataset.lat, el.dataset.lng], 6);
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, {
        maxZoom: 18, attribution: el.dataset.tilesAttribution,
      }).addTo(map);
    } else if (note) {
      note.textContent = el.dataset.noTiles;
    }
    fetch(el.dataset.src, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        layer = L.featureGroup();
        data.kims.forEach(function (k) {
          if (k.lat === null || k.lng === null) return;
          var a = document.createElement("a");
          a.href = k.url;
          a.textContent = k.name;
          L.circleMarker([k.lat, k.lng], {
            radius: 6, weight: 1, color: "#0b6e4f",
            fillColor: k.status === "active" ? "#0b6e4f" : "#c9a227", fillOpacity: 0.8,
            className: "kim-marker",
          }).bindTooltip(k.name).bindPopup(a).addTo(layer);
        });
        layer.addTo(map);
        if (layer.getLayers().length) map.fitBounds(layer.getBounds().pad(0.2), { maxZoom: 12 });
        el.dataset.ready = "1";
        el.dataset.markers = String(layer.getLayers().length);
      });
  }
  // Loaded late when the map comes into view (simpul.js): the page is ready.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail.target && e.detail.target.id === "kim-results") draw();
  });
})();
