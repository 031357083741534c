// Connectivity map: observed village status, priority places, towers by status,
// predicted coverage and planned sites as separate layers. Data from our server.
(function () {
  var el = document.getElementById("sinyal-map");
  if (!el) return;
  var note = document.getElementById("map-note");
  var d = el.dataset;
  if (typeof L === "undefined") {
    if (note) note.textContent = d.noLeaflet;
    return;
  }
  var map = L.map(el, { zoomSnap: 0.5 });
  if (d.tiles) {
    L.tileLayer(d.tiles, { maxZoom: 18, attribution: d.tilesAttribution })
      .addTo(map)
      .on("tileerror", function () { if (note) note.textContent = d.noTiles; });
  }
  map.setView([d.lat, d.lng], Number(d.zoom || 9));

  var STATUS = { blankspot: "#a8321f", partial: "#d98c10", covered: "#0b6e4f", unknown: "#9aa5ad" };
  var TOWER = { on_air: "#2a7fba", construction: "#7b4fa0", land_ready: "#b5651d", surveyed: "#6b7780", proposed: "#6b7780" };

  function text(parts) {
    var div = document.createElement("div");
    parts.forEach(function (p, i) {
      if (!p) return;
      if (i) div.appendChild(document.createElement("br"));
      if (p.href) {
        var a = document.createElement("a");
        a.href = p.href; a.textContent = p.text; div.appendChild(a);
      } else {
        div.appendChild(document.createTextNode(p));
      }
    });
    return div;
  }
  function points(fc, style, popup) {
    return L.geoJSON(fc, {
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, style(f)); },
      onEachFeature: function (f, layer) { layer.bindPopup(popup(f)); },
    });
  }
  var overlays = {};
  var bounds = L.latLngBounds([]);

  function addLayers(data) {
    if (data.villages) {
      var v = points(data.villages, function (f) {
        var s = f.properties.status;
        return { radius: s === "unknown" ? 3 : 7, color: STATUS[s], fillColor: STATUS[s], fillOpacity: s === "unknown" ? 0.3 : 0.8, weight: 1 };
      }, function (f) {
        var p = f.properties;
        return text([{ href: p.url, text: p.name }, p.kecamatan, d.observedLabel + ": " + p.status_label]);
      });
      v.addTo(map); overlays[d.layerVillages] = v; bounds.extend(v.getBounds());
    }
    if (data.places) {
      var pl = points(data.places, function (f) {
        var s = f.properties.observed_signal;
        var c = s === true ? STATUS.covered : s === false ? STATUS.blankspot : STATUS.unknown;
        return { radius: f.properties.kind === "office" ? 6 : 4, color: "#1d2327", weight: 1, fillColor: c, fillOpacity: 0.9 };
      }, function (f) {
        var p = f.properties;
        var predicted = p.predicted_covered === true ? d.yes : p.predicted_covered === false ? d.no : "–";
        return text([p.name + " (" + p.kind_label + ")", p.village,
          d.observedLabel + ": " + (p.observed_label || "–"),
          d.predictedLabel + ": " + predicted,
          d.weightLabel + ": " + p.weight, p.source,
          d.editUrl ? { href: d.editUrl.replace("0", p.id), text: d.editLabel } : null]);
      });
      data.places.features.forEach(function (f) {
        if (f.properties.area) {
          L.geoJSON(f.properties.area, { style: { color: "#5c6770", weight: 1, fillOpacity: 0.1 }, interactive: false }).addTo(pl);
        }
      });
      overlays[d.layerPlaces] = pl;
      if (d.showPlaces) pl.addTo(map);
      if (d.showPlaces && pl.getLayers().length) bounds.extend(pl.getBounds());
    }
    if (data.towers) {
      var t = points(data.towers, function (f) {
        var c = TOWER[f.properties.status] || "#6b7780";
        return { radius: 7, color: c, weight: 3, fillColor: "#fff", fillOpacity: 1, dashArray: f.properties.status === "on_air" ? null : "2 3" };
      }, function (f) {
        var p = f.properties;
        return text([{ href: p.url, text: p.name }, p.owner_label, p.status_label + " · " + p.technology.toUpperCase()]);
      });
      t.addTo(map); overlays[d.layerTowers] = t;
    }
    if (data.coverage) {
      var cov = L.layerGroup();
      data.coverage.features.forEach(function (f) {
        var c = f.geometry.coordinates;
        L.circle([c[1], c[0]], { radius: f.properties.radius_km * 1000, color: "#2a7fba", weight: 1, dashArray: "4 4", fillOpacity: 0.07, interactive: false }).addTo(cov);
      });
      cov.addTo(map); overlays[d.layerCoverage] = cov;
      if (note && !data.coverage.terrain_aware) note.textContent = d.noDem;
    }
    if (data.planned_sites || data.sites) {
      var sites = data.planned_sites || data.sites;
      var ps = L.layerGroup();
      sites.features.forEach(function (f) {
        var c = f.geometry.coordinates;
        L.circle([c[1], c[0]], { radius: f.properties.radius_km * 1000, color: "#7b4fa0", weight: 1, fillOpacity: 0.08, interactive: false }).addTo(ps);
        L.circleMarker([c[1], c[0]], { radius: 7, color: "#7b4fa0", weight: 3, fillColor: "#7b4fa0", fillOpacity: 0.9, className: "planned-site" })
          .bindPopup(text([d.plannedLabel + " " + (f.properties.label || ""), d.weightLabel + ": " + f.properties.covered_weight.toFixed(1)])).addTo(ps);
        bounds.extend([c[1], c[0]]);
      });
      ps.addTo(map); overlays[d.layerPlanned] = ps;
    }
    if (data.demand) {
      var dm = L.layerGroup();
      data.demand.forEach(function (p) {
        L.circleMarker([p.lat, p.lng], { radius: 3, weight: 0, fillColor: p.covered ? STATUS.covered : STATUS.blankspot, fillOpacity: 0.9 }).addTo(dm);
        bounds.extend([p.lat, p.lng]);
      });
      dm.addTo(map); overlays[d.layerPlaces] = dm;
    }
    L.control.layers(null, overlays, { collapsed: true }).addTo(map);
    if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 13 });
  }

  map.on("click", function (e) {
    var lat = document.querySelector("[data-map-lat]");
    var lng = document.querySelector("[data-map-lng]");
    var pts = document.querySelector("[data-map-points]");
    var ll = [e.latlng.lat.toFixed(5), e.latlng.lng.toFixed(5)];
    if (lat && lng) { lat.value = ll[0]; lng.value = ll[1]; }
    if (pts) { pts.value = (pts.value.trim() ? pts.value.trim() + "\n" : "") + ll.join(", "); }
    if (lat || pts) L.circleMarker(e.latlng, { radius: 5, color: "#7b4fa0" }).addTo(map);
  });

  fetch(d.src, { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) { addLayers(data); el.dataset.ready = "1"; })
    .catch(function () { if (note) note.textContent = d.noData; });
})();
