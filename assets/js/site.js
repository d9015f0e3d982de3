/* Progressive enhancement only: every page reads fine without this file.
   Opens the FAQ answer named in the address (#id), and prints every answer. */
(function () {
  "use strict";
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") el.open = true;
  }
  var closed = [];
  addEventListener("beforeprint", function () {
    closed = [].filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });
  addEventListener("hashchange", openTarget);
  openTarget();
})();
