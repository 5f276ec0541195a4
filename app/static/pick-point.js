// Choosing the place of an idea or feedback on a small map, as progressive enhancement of the place fields
// (templates/places/_pick.html). Without this script the words are looked up on the server and the addresses
// found are offered as radio buttons; with it, a tap on the map (or Enter on the focused map, for the point
// in its middle) fills the form's hidden lat/lon fields. The server checks the point as it checks any other.
//
// data-pick-point holds JSON (app/places/picking.py map_data): what map.js takes ({tiles, text, outlines}),
// plus "slugs" (the district of each outline), "point" ([lat, lon] or null) and texts of its own.
(function () {
  "use strict";

  function field(form, name) {
    return form.querySelector('input[name="' + name + '"]');
  }

  function enhance(holder) {
    var data = JSON.parse(holder.getAttribute("data-pick-point"));
    var text = data.text || {};
    var form = holder.closest("form");
    var lat = field(form, "lat"), lon = field(form, "lon"), lookedUp = field(form, "looked_up");
    var place = field(form, "place");
    var district = form.querySelector('select[name="district"]');
    if (!lat || !lon || !lookedUp || !place) {
      return;
    }
    var help = document.createElement("p");
    help.className = "hint";
    help.id = "pick-map-help";
    help.textContent = text.pick || "";
    var canvas = document.createElement("div");
    canvas.className = "map-canvas pick-canvas";
    canvas.setAttribute("aria-describedby", help.id);
    var status = document.createElement("p");
    status.className = "pick-status";
    status.setAttribute("role", "status");
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button secondary";
    remove.textContent = text.remove || "";
    remove.hidden = true;
    holder.appendChild(help);
    holder.appendChild(canvas);
    holder.appendChild(status);
    holder.appendChild(remove);
    holder.hidden = false;

    var map = window.MedvirkMap.create(canvas, { tiles: data.tiles, text: text, outlines: data.outlines });
    holder.pickMap = map;   // for the browser tests, which tap a known point
    var marker = null;

    function fitDistrict() {
      var index = district ? data.slugs.indexOf(district.value) : (data.slugs.length === 1 ? 0 : -1);
      if (index >= 0 && !marker) {
        map.fitBounds(L.geoJSON(data.outlines[index]).getBounds(), { padding: [12, 12], maxZoom: 16 });
      }
    }

    function show(latlng, announce) {
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, { keyboard: false, interactive: false }).addTo(map);
      }
      remove.hidden = false;
      if (announce) {
        status.textContent = text.chosen || "";
      }
    }

    function choose(latlng) {
      show(latlng, true);
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      lookedUp.value = place.value;
      // A point tapped replaces an address chosen from the list (the server takes a chosen address first).
      Array.prototype.forEach.call(form.querySelectorAll('input[name="point"]'), function (radio) {
        radio.checked = false;
      });
    }

    if (data.point) {
      show(L.latLng(data.point[0], data.point[1]), false);
      map.setView(data.point, 16);
    } else {
      fitDistrict();
    }
    if (district) {
      district.addEventListener("change", fitDistrict);
    }
    map.on("click", function (event) { choose(event.latlng); });
    canvas.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target === canvas) {
        event.preventDefault();
        choose(map.getCenter());
      }
    });
    remove.addEventListener("click", function () {
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      lat.value = lon.value = "";
      remove.hidden = true;
      status.textContent = text.removed || "";
    });
    Array.prototype.forEach.call(form.querySelectorAll('input[name="point"]'), function (radio) {
      radio.addEventListener("change", function () { remove.click(); });
    });
    // The words typed after the tap are the point's label: the server keeps a point only with its own words.
    form.addEventListener("submit", function () {
      if (lat.value && lon.value) {
        lookedUp.value = place.value;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L || !window.MedvirkMap) {
      return;   // no map library: the place field and the addresses found are the way to choose
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-pick-point]"), function (holder) {
      try {
        enhance(holder);
      } catch (e) {
        holder.hidden = true;
      }
    });
  });
})();
