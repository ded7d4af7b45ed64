// The bulk confirmation: once confirmed, the button is disabled (no second run) and
// "Working…" shows until the results page arrives.
(function () {
  "use strict";
  var form = document.getElementById("bulk-confirm-form");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    var button = document.getElementById("bulk-confirm");
    form.classList.add("htmx-request");
    if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
  });
})();
