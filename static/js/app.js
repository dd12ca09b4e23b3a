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
    document.querySelectorAll(".print-button").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
