// The work area's small helpers (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  // A claim that went through: the row's claim button goes away (the result stays).
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.classList && target.classList.contains("claim-result") &&
        target.querySelector(".claim-ok")) {
      var row = target.closest("tr");
      if (row) { row.classList.add("claimed"); }
    }
  });
  // Buttons that ask first: <button data-confirm="...">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
