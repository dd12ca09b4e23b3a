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
  // A second press of a form's button while the first is on its way sends nothing
  // more (the server copes too; this spares the person a confusing page).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "yes";
    // No answer after a while (a slow or lost connection): let a new press try again.
    window.setTimeout(function () { delete form.dataset.sent; }, 10000);
  });
  // Back to a page kept in the browser's memory: its forms may be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-sent]").forEach(function (form) { delete form.dataset.sent; });
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
