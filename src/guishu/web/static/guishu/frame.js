// The frame of every page: the menu button that opens the navigation on a phone, and "/"
// to jump to the customer search box from anywhere (unless one is typing in a field).
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("main-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    });
  }
  function typing(target) {
    if (!target) { return false; }
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) { return; }
    var box = document.getElementById("global-q");
    if (!box) { return; }
    event.preventDefault();
    if (nav && toggle && getComputedStyle(box).display === "none") { toggle.click(); }
    box.focus();
    box.select();
  });
})();
