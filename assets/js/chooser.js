/* "Which massage suits me?": shows the answer in place. Progressive enhancement only: without this
   file the form goes to the decision table, which lists every answer. This file holds no health
   text of its own; it applies the rules written in the page's table (from chooser.yaml) and copies
   the chosen answer's card, which the page already shows, into the live region. */
(function () {
  "use strict";
  var form = document.getElementById("chooser");
  var result = document.getElementById("chooser-result");
  var incomplete = document.getElementById("chooser-incomplete");
  if (!form || !result || !incomplete) return;

  // The first ticked safety answer decides, in the order the page lists them.
  function safetyOutcome() {
    var ticked = form.querySelector("input[name=safety]:checked");
    return ticked ? ticked.getAttribute("data-outcome") : null;
  }

  function answers() {
    var picked = {};
    var missing = null;
    [].forEach.call(form.querySelectorAll("fieldset[id^='question-']"), function (set) {
      var checked = set.querySelector("input[type=radio]:checked");
      if (checked) picked[checked.name] = checked.value;
      else if (!missing) missing = set;
    });
    return { picked: picked, missing: missing };
  }

  // A row's data-when reads "goal:pain pressure:firm,unsure"; a question left out covers any answer.
  function ruleOutcome(picked) {
    var rows = document.querySelectorAll("tr[data-when][data-outcome]");
    for (var i = 0; i < rows.length; i++) {
      var parts = rows[i].getAttribute("data-when").split(" ").filter(Boolean);
      var fits = parts.every(function (part) {
        var split = part.split(":");
        return split[1].split(",").indexOf(picked[split[0]]) !== -1;
      });
      if (fits) return rows[i].getAttribute("data-outcome");
    }
    return null;
  }

  function copyWithoutIds(node) {
    var copy = node.cloneNode(true);
    [copy].concat([].slice.call(copy.querySelectorAll("[id], [aria-labelledby]"))).forEach(function (el) {
      el.removeAttribute("id");
      el.removeAttribute("aria-labelledby");
    });
    return copy;
  }

  function show(nodes) {
    result.textContent = "";
    // A moment's pause so that the same answer twice is announced twice.
    setTimeout(function () {
      nodes.forEach(function (node) { result.appendChild(node); });
      result.scrollIntoView({ block: "nearest" });
    }, 50);
  }

  function showOutcome(id) {
    var card = document.getElementById("outcome-" + id);
    if (!card) return;
    var copy = copyWithoutIds(card);
    var title = copy.querySelector("h3");
    if (title) {
      var heading = document.createElement("h2");
      heading.innerHTML = title.innerHTML;
      title.parentNode.replaceChild(heading, title);
    }
    copy.className += " outcome-shown";
    show([copy]);
  }

  function decide() {
    var safety = safetyOutcome();
    if (safety) return showOutcome(safety);
    var given = answers();
    if (given.missing) {
      show([copyWithoutIds(incomplete)].map(function (p) { p.hidden = false; return p; }));
      given.missing.querySelector("input").focus();
      return;
    }
    var outcome = ruleOutcome(given.picked);
    if (outcome) showOutcome(outcome);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    decide();
  });

  // An address with answers in it (the form's own, bookmarked or shared) shows its answer.
  var query = new URLSearchParams(location.search);
  if (![].some.call(query.keys(), function () { return true; })) return;
  [].forEach.call(form.elements, function (el) {
    if (el.type === "checkbox") el.checked = query.getAll(el.name).indexOf(el.value) !== -1;
    else if (el.type === "radio") el.checked = query.get(el.name) === el.value;
  });
  decide();
})();
