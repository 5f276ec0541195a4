// Passing a page on, as progressive enhancement: without this file the link is there to copy by hand
// and a poster prints from the browser's menu. No third party is asked for anything.
(function () {
  "use strict";
  function announce(box, text) {
    var status = box.querySelector("[data-share-status]");
    if (status) { status.textContent = ""; window.setTimeout(function () { status.textContent = text; }, 50); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-share]").forEach(function (box) {
      var button = box.querySelector("button");
      var field = box.querySelector("input");
      if (!button || !field) { return; }
      field.addEventListener("focus", function () { field.select(); });
      if (navigator.share) {
        // The phone's own share sheet: messages, mail, whatever the person uses.
        button.hidden = false;
        button.addEventListener("click", function () {
          navigator.share({ title: box.getAttribute("data-title"), url: field.value }).catch(function () {});
        });
      } else if (navigator.clipboard && window.isSecureContext) {
        button.textContent = box.getAttribute("data-copy-label");
        button.hidden = false;
        button.addEventListener("click", function () {
          navigator.clipboard.writeText(field.value).then(function () {
            announce(box, box.getAttribute("data-copied-label"));
          }, function () { field.focus(); });
        });
      }
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
}());
