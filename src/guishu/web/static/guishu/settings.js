// The settings pages: a form marked data-confirm asks before it is sent (deleting a rule or
// a channel, deactivating a user). Without JavaScript the form is sent as it is.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
