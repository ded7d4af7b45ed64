// The duplicate check as the rep types: after a short pause, post the form to the check
// endpoint and show the server-rendered matches. Works without it: registering checks too.
(function () {
  "use strict";
  var form = document.getElementById("register-form");
  var target = document.getElementById("matches");
  if (!form || !target) { return; }
  var timer = null;
  var latest = 0;
  function check() {
    var ticket = ++latest;
    fetch(form.dataset.checkUrl, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null && ticket === latest) { target.innerHTML = html; }
    }).catch(function () { /* the check on submit still protects */ });
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 350);
  });
})();
