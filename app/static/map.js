// Maps, as progressive enhancement. The server draws every map as an SVG with numbered pins and a numbered
// list beside it, and that is all a page needs. Where this script and Leaflet load, each map is also shown as
// one to move and zoom, over map tiles when they load. The list is never touched; the SVG is only hidden once
// the interactive map stands, so a failure on the way leaves it in place.
//
// Each map's element carries its data in data-map (JSON, written by app/places/maps.py):
//   {"tiles": {"url", "attribution"}, "text": {"zoomIn", "zoomOut", "noTiles", "map"},
//    "outlines": [GeoJSON geometry, ...], "names": [[lat, lon, district name], ...],
//    "pins": [[number, lat, lon, kind, label, href], ...]}
//
// window.MedvirkMap.create(element, data) makes the Leaflet map with tiles and outlines and nothing else:
// a page that lets people choose a point calls it with the same data (without pins) and adds its own handlers.
(function () {
  "use strict";

  var TRONDHEIM = [63.43, 10.41];
  // Pins closer than this on the screen cover each other's numbers (and a tap finds the wrong one).
  var GAP = 30;
  // One pin (a meeting place, an idea) is shown at least this close, so the streets around it can be read.
  var STREET_ZOOM = 15;
  // The zoom buttons' corner (44 px buttons with their margin): no pin or name is moved under them. It is the
  // top corner where lines start: top left, or top right on a page read right to left (Arabic).
  var CONTROLS = L.point(60, 104);

  function readsRightToLeft(element) {
    return window.getComputedStyle(element).direction === "rtl";
  }

  // underControls(x, y, margin): whether a point on the map (from its top left) is within margin px of the
  // zoom buttons' corner.
  function controlsOf(map) {
    var width = map.getSize().x, rtl = readsRightToLeft(map.getContainer());
    return function (x, y, margin) {
      return (rtl ? width - x : x) < CONTROLS.x + margin && y < CONTROLS.y + margin;
    };
  }

  function create(element, data) {
    var text = data.text || {};
    var map = L.map(element, {
      zoomControl: false,
      scrollWheelZoom: false,         // the page scrolls past the map; +/- and pinching zoom it
      dragging: !L.Browser.mobile,    // on a phone one finger scrolls the page, two move the map
      zoomSnap: 0.5
    });
    var rtl = readsRightToLeft(element);   // the buttons sit where lines start, the credit line where they end
    L.control.zoom({ position: rtl ? "topright" : "topleft", zoomInTitle: text.zoomIn || "+",
                     zoomOutTitle: text.zoomOut || "-" }).addTo(map);
    map.attributionControl.setPosition(rtl ? "bottomleft" : "bottomright");
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
      if (pins.length === 1) {
        map.setView([pins[0][1], pins[0][2]], Math.max(map.getZoom(), STREET_ZOOM), { animate: false });
      }
    } else {
      map.setView(TRONDHEIM, 14);
    }
    outlines.addTo(map);
    addPins(map, pins, addNames(map, data.names || []));
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

  // The districts' names inside their outlines, under the pins: without tiles nothing else tells the
  // outlines apart. Only to look at: the map's name and the list say the same to a screen reader.
  function addNames(map, names) {
    var labels = [];
    if (!names.length) {
      return labels;
    }
    map.createPane("mapNames").style.zIndex = 450;   // over the outlines (400), under the pins (600)
    names.forEach(function (name) {
      var face = document.createElement("span");
      face.textContent = name[2];
      // A tooltip that stays open, so that pins are the map's only markers.
      var label = L.tooltip({ permanent: true, direction: "center", className: "map-name", pane: "mapNames", opacity: 1 })
        .setLatLng([name[0], name[1]]).setContent(face).addTo(map);
      label.getElement().setAttribute("aria-hidden", "true");
      labels.push(label);
    });
    return labels;
  }

  // Pins that would cover each other (events at their meeting place, ideas a street apart) stand aside on
  // rings around their point, the first one on it, as in the server's drawing; worked out again at each zoom.
  // The names then move, a little at a time, to the nearest place no pin covers.
  function spread(map, markers, labels) {
    var size = map.getSize();
    var underControls = controlsOf(map);
    var placed = [];
    markers.forEach(function (marker) {
      var at = map.latLngToContainerPoint(marker.getLatLng());
      var offset = freePlace(at, placed, size, underControls);
      placed.push(at.add(offset));
      var element = marker.getElement();
      element.style.marginLeft = (offset.x - 22) + "px";   // Leaflet's own margins centre the 44 px icon
      element.style.marginTop = (offset.y - 22) + "px";
    });
    labels.forEach(function (label) {
      var face = label.getElement();
      var half = L.point(face.offsetWidth / 2 + 2, face.offsetHeight / 2);
      var at = map.latLngToContainerPoint(label.getLatLng());
      var offset = clearOf(at, half, placed, size, underControls);
      // With no room, a name stays where it is, under the pins, or is left out where the edge would cut it.
      face.style.visibility = offset || fits(at.x, at.y, half, size, underControls) ? "" : "hidden";
      face.style.marginLeft = (offset ? offset.x : 0) + "px";
      face.style.marginTop = (offset ? offset.y : 0) + "px";
    });
  }

  function freePlace(at, placed, size, underControls) {
    for (var ring = 0; ring < 6; ring++) {
      var count = ring ? 6 * ring : 1;
      for (var step = 0; step < count; step++) {
        var angle = 2 * Math.PI * step / count - Math.PI / 2;
        var offset = L.point(Math.round(ring * GAP * Math.cos(angle)), Math.round(ring * GAP * Math.sin(angle)));
        var here = at.add(offset);
        var inside = here.x > 16 && here.y > 16 && here.x < size.x - 16 && here.y < size.y - 16 &&
          !underControls(here.x, here.y, 16);
        var free = placed.every(function (other) { return other.distanceTo(here) >= GAP; });
        if ((inside || !ring) && free) {
          return offset;
        }
      }
    }
    return L.point(0, 0);
  }

  function clearOf(at, half, pins, size, underControls) {
    for (var distance = 0; distance <= 60; distance += 6) {   // further off, a name would seem to name another place
      var tries = distance ? [[0, -distance], [0, distance], [-distance, 0], [distance, 0]] : [[0, 0]];
      for (var i = 0; i < tries.length; i++) {
        var x = at.x + tries[i][0], y = at.y + tries[i][1];
        var free = fits(x, y, half, size, underControls) && pins.every(function (pin) {   // the name's box against each pin's disc
          var dx = Math.max(Math.abs(pin.x - x) - half.x, 0), dy = Math.max(Math.abs(pin.y - y) - half.y, 0);
          return dx * dx + dy * dy >= 17 * 17;
        });
        if (free) {
          return L.point(tries[i][0], tries[i][1]);
        }
      }
    }
    return null;
  }

  // A name centred at (x, y) is whole on the map and clear of the zoom buttons and the credit line.
  function fits(x, y, half, size, underControls) {
    return x - half.x > 0 && x + half.x < size.x && y - half.y > 0 && y + half.y < size.y - 20 &&
      !underControls(x - half.x, y - half.y, 0) && !underControls(x + half.x, y - half.y, 0);
  }

  // Numbered pins like the SVG's: each one is reached with Tab, named by its number and title, and opens
  // its page with Enter or a click.
  function addPins(map, pins, labels) {
    var markers = [];
    pins.forEach(function (pin) {
      var number = pin[0], lat = pin[1], lon = pin[2], kind = pin[3], label = pin[4], href = pin[5];
      var face = document.createElement("span");
      face.textContent = String(number);
      var marker = L.marker([lat, lon], {
        icon: L.divIcon({ className: "map-pin pin-" + kind, html: face, iconSize: [44, 44], iconAnchor: [22, 22] }),
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
      markers.push(marker);
    });
    spread(map, markers, labels || []);
    map.on("zoomend", function () { spread(map, markers, labels || []); });
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
