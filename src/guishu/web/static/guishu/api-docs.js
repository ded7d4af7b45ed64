// Starts Redoc on the API docs page under our Content Security Policy, which applies a <style>
// element only if it carries this request's nonce. The nonce is read from this script's own
// nonce attribute.
(function () {
  "use strict";
  var nonce = document.currentScript.nonce;

  // Redoc's bundle adds one stylesheet (its scrollbar styles) as it loads, before it can know
  // the nonce, so the browser refused it. Nothing else has been added to the page yet (the
  // API description is fetched and rendered later), so the only such sheets are the bundle's:
  // put their text back under the nonce.
  Array.prototype.forEach.call(document.querySelectorAll("style"), function (refused) {
    if (refused.nonce) { return; }
    var adopted = document.createElement("style");
    adopted.nonce = nonce;
    adopted.textContent = refused.textContent;
    refused.replaceWith(adopted);
  });

  var options = {};
  var configured = document.getElementById("redoc-settings");
  if (configured) {
    try {
      // drf-spectacular passes REDOC_UI_SETTINGS as JSON text, which json_script quotes again.
      var parsed = JSON.parse(configured.textContent);
      options = typeof parsed === "string" ? JSON.parse(parsed) : parsed;
    } catch (error) {
      options = {};
    }
  }
  // Redoc puts the nonce on the styles it adds while rendering.
  options.nonce = nonce;
  var container = document.getElementById("redoc-container");
  window.Redoc.init(container.dataset.schemaUrl, options, container);
})();
