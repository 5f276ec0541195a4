// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Messages already in the live region when the page loads are often not read out;
  // putting them back after load makes screen readers announce them.
  var region = document.querySelector(".flashes");
  if (region && region.children.length) {
    var messages = Array.prototype.slice.call(region.children);
    region.textContent = "";
    window.setTimeout(function () {
      messages.forEach(function (message) { region.appendChild(message); });
    }, 250);
  }
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }
});

// A printed page has no way to open a closed table of figures: open them all for printing.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (details) { details.open = true; });
});
