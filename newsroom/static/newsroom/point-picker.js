/* The local-potential form's point picker: a Leaflet map (loaded only when
   asked, see simpul.js data-lazy-map) where a tap fills the latitude and
   longitude fields; typing in the fields moves the marker. Without
   JavaScript the two number fields work alone. */
(function () {
  "use strict";
  var el = document.querySelector("[data-point-map]");
  var lat = document.querySelector("[data-point-lat]");
  var lng = document.querySelector("[data-point-lng]");
  if (!el || !lat || !lng || !window.L || el.dataset.ready) return;
  el.dataset.ready = "1";
  var map = L.map(el, { scrollWheelZoom: false });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.tilesAttribution || "" }).addTo(map);
  }
  var marker = null;
  function current() {
    var y = parseFloat(lat.value), x = parseFloat(lng.value);
    return isFinite(y) && isFinite(x) ? [y, x] : null;
  }
  function place(point) {
    if (!point) return;
    if (marker) marker.setLatLng(point);
    else marker = L.marker(point).addTo(map);
  }
  var start = current();
  // Kalimantan Timur when nothing is set yet.
  map.setView(start || [0.5, 116.6], start ? 14 : 7);
  place(start);
  map.on("click", function (e) {
    lat.value = e.latlng.lat.toFixed(5);
    lng.value = e.latlng.lng.toFixed(5);
    place([e.latlng.lat, e.latlng.lng]);
  });
  [lat, lng].forEach(function (input) {
    input.addEventListener("change", function () {
      var point = current();
      if (point) { place(point); map.panTo(point); }
    });
  });
})();
