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
  // "Clear this answer": with JavaScript, clear the choice here and now, without
  // sending the page (without JavaScript the button sends it and the server clears).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.clear-answer");
    if (!button) { return; }
    event.preventDefault();
    var group = button.closest("fieldset");
    group.querySelectorAll("input[type=radio]").forEach(function (input) { input.checked = false; });
    var first = group.querySelector("input[type=radio]");
    if (first) { first.focus(); }
  });
  // The sticky bar's real height (it grows with large text or on a narrow screen):
  // the page scrolls focus and jumped-to places below it, never under it.
  function watchBar() {
    var bar = document.getElementById("safety-bar");
    if (!bar || getComputedStyle(bar).position !== "sticky") { return; }
    var root = document.documentElement;
    var write = function () { root.style.setProperty("--bar-h", Math.ceil(bar.getBoundingClientRect().height) + "px"); };
    write();
    if (window.ResizeObserver) { new ResizeObserver(write).observe(bar); }
  }
  // "Change" in the review lands on its question, and the way back lands on the same
  // answer: move the focus there too, so keyboard and screen reader users are in place.
  function focusTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var more = id === "more-help" ? document.getElementById(id) : null;
    if (more) { more.open = true; more.querySelector("summary").focus(); return; }
    if (!/^(question|answer)-/.test(id)) { return; }
    var target = document.getElementById(id);
    if (!target) { return; }
    var link = id.indexOf("answer-") === 0 ? target.querySelector(".review-change a") : null;
    if (!link) { target.setAttribute("tabindex", "-1"); }
    (link || target).focus();
  }
  window.addEventListener("hashchange", focusTarget);
  // The browser's own jump to the #fragment (which may move focus to the page) comes
  // after DOMContentLoaded when the page came by a redirect: place the focus again then.
  window.addEventListener("load", function () {
    window.setTimeout(function () { if (!document.getElementById("error-summary")) { focusTarget(); } }, 0);
  });
  document.addEventListener("DOMContentLoaded", function () {
    watchBar();
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); } else { focusTarget(); }
    // Browsers without ::details-content print folded cards closed: open them for paper.
    var opened = [];
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details.lane-more:not([open]), details.said-details:not([open]), details.more-help:not([open])").forEach(function (details) {
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
