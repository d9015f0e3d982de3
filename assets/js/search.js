/* The search page: Pagefind's own UI (/pagefind/pagefind-ui.js, made by the build) takes the plain
   form's place and searches as you type; a query in the address (?q=, as the header's search field
   sends it) is searched at once. Without JavaScript the page lists every page by topic instead. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  var form = document.getElementById("search-form");
  if (!root || !form || typeof PagefindUI !== "function") return;
  // A large site's index comes in parts (search_index.py): the UI searches them all as one.
  var more = (root.getAttribute("data-more-indexes") || "").split(" ").filter(Boolean);
  var ui = new PagefindUI({
    element: "#search",
    baseUrl: root.getAttribute("data-base-url") || "/",
    mergeIndex: more.map(function (path) { return { bundlePath: path }; }),
    showImages: false,
    showSubResults: true,
    resetStyles: false
  });
  form.hidden = true;
  var input = root.querySelector("input");
  if (input) {
    input.setAttribute("aria-label", form.querySelector("label").textContent);
  }
  var query = new URLSearchParams(location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
    if (input) input.focus();
  }
})();
