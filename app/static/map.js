// Maps, as progressive enhancement. The server draws every map as an SVG with numbered pins and a numbered
// list beside it, and that is all a page needs. Where this script and Leaflet load, each map is also shown as
// one to move and zoom, over map tiles when they load. The list is never touched; the SVG is only hidden once
// the interactive map stands, so a failure on the way leaves it in place.
//
// Each map's element carries its data in data-map (JSON, written by app/places/maps.py):
//   {"tiles": {"url", "attribution"}, "text": {"zoomIn", "zoomOut", "noTiles", "map"},
//    "outlines": [GeoJSON geometry, ...], "pins": [[number, lat, lon, kind, label, href], ...]}
//
// window.MedvirkMap.create(element, data) makes the Leaflet map with tiles and outlines and nothing else:
// a page that lets people choose a point calls it with the same data (without pins) and adds its own handlers.
(function () {
  "use strict";

  var TRONDHEIM = [63.43, 10.41];

  function create(element, data) {
    var text = data.text || {};
    var map = L.map(element, {
      zoomControl: false,
      scrollWheelZoom: false,         // the page scrolls past the map; +/- and pinching zoom it
      dragging: !L.Browser.mobile,    // on a phone one finger scrolls the page, two move the map
      zoomSnap: 0.5
    });
    L.control.zoom({ zoomInTitle: text.zoomIn || "+", zoomOutTitle: text.zoomOut || "-" }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com/">Leaflet</a>');
    if (text.map) {
      element.setAttribute("role", "region");
      element.setAttribute("aria-label", text.map);
    }
    var outlines = L.geoJSON(data.outlines || [], { interactive: false, className: "map-outline" });
    var pins = data.pins || [];
    var bounds = L.latLngBounds(pins.map(function (pin) { return [pin[1], pin[2]]; }));
    if (outlines.getLayers().length) {
      bounds.extend(outlines.getBounds());
    }
    // The view first: Leaflet draws a pin (and gives it its element) only on a map that has one.
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    } else {
      map.setView(TRONDHEIM, 14);
    }
    outlines.addTo(map);
    addPins(map, pins);
    if (data.tiles && data.tiles.url) {
      addTiles(map, element, data.tiles, text.noTiles);
    }
    return map;
  }

  // Tiles that never load (offline, blocked, the tile service down) leave the outlines and pins on a plain
  // background, and a short note under the map says why the background is missing.
  function addTiles(map, element, tiles, noTiles) {
    var loaded = false;
    var layer = L.tileLayer(tiles.url, { attribution: tiles.attribution || "", maxZoom: 18, minZoom: 5 });
    layer.on("tileload", function () {
      loaded = true;
      element.classList.remove("map-without-tiles");
    });
    layer.on("load", function () {
      var next = element.nextElementSibling;
      if (loaded || !noTiles || (next && next.className === "map-note")) {
        return;
      }
      element.classList.add("map-without-tiles");
      var note = document.createElement("p");
      note.className = "map-note";
      note.textContent = noTiles;
      element.parentNode.insertBefore(note, next);
    });
    layer.addTo(map);
  }

  // Numbered pins like the SVG's: each one is reached with Tab, named by its number and title, and opens
  // its page with Enter or a click.
  function addPins(map, pins) {
    var seen = {};
    pins.forEach(function (pin) {
      var number = pin[0], lat = pin[1], lon = pin[2], kind = pin[3], label = pin[4], href = pin[5];
      var face = document.createElement("span");
      face.textContent = String(number);
      // Pins at the same point (an event at its meeting place) stand side by side, so each can be seen and tapped.
      var same = seen[lat + "," + lon] = (seen[lat + "," + lon] || 0) + 1;
      var marker = L.marker([lat, lon], {
        icon: L.divIcon({ className: "map-pin pin-" + kind, html: face, iconSize: [44, 44], iconAnchor: [22 - 30 * (same - 1), 22] }),
        keyboard: true,
        riseOnHover: true
      }).addTo(map);
      var element = marker.getElement();
      var opens = typeof href === "string" && href.charAt(0) === "/" && href.charAt(1) !== "/";
      element.setAttribute("role", opens ? "link" : "img");   // a pin without a page of its own only names its place
      element.setAttribute("aria-label", number + ". " + label);
      var tip = document.createElement("span");
      tip.textContent = label;
      marker.bindTooltip(tip, { direction: "top", offset: [0, -16] });
      if (opens) {
        marker.on("click", function () { window.location.assign(href); });
        marker.on("keydown", function (e) {   // a link opens with Enter
          if (e.originalEvent.key === "Enter") { window.location.assign(href); }
        });
      }
    });
  }

  function enhance(figure) {
    var data = JSON.parse(figure.getAttribute("data-map"));
    var canvas = document.createElement("div");
    canvas.className = "map-canvas";
    var drawing = figure.querySelector("svg");
    figure.insertBefore(canvas, drawing || null);
    try {
      create(canvas, data);
    } catch (e) {
      figure.removeChild(canvas);
      throw e;
    }
    figure.classList.add("map-live");   // the style sheet hides the SVG now that the map stands
  }

  window.MedvirkMap = { create: create, addPins: addPins };

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L) {
      return;   // Leaflet did not load: the SVG and the list are the map
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), function (figure) {
      try {
        enhance(figure);
      } catch (e) {
        // The SVG stays: it is the same map, drawn by the server.
      }
    });
  });
})();
