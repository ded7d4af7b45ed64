// The customer list: after htmx refreshes the table for new filters, the "save these
// filters" form saves the filters now shown (the table carries them as data-params).
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function () {
    var count = document.getElementById("list-count");
    var field = document.getElementById("save-view-params");
    if (count && field) { field.value = count.dataset.params || ""; }
  });
})();
