// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  // Quick exit: replace this page in the history, so Back does not return here.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.quick-exit");
    if (!link) { return; }
    event.preventDefault();
    window.location.replace(link.href);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    // Browsers without ::details-content print folded cards closed: open them for paper.
    var opened = [];
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details.lane-more:not([open])").forEach(function (details) {
        details.open = true;
        opened.push(details);
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (details) { details.open = false; });
      opened = [];
    });
    document.querySelectorAll(".print-button").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
