// Copy a check-in link with one click (admin site page). Without JavaScript the
// link is still there to select and copy by hand.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".copy-button").forEach(function (button) {
      var input = document.getElementById(button.dataset.copy);
      var status = button.parentNode.querySelector(".copy-status");
      if (!input) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var say = function (text) { if (status) { status.textContent = text; } };
        var done = function () { say("Copied."); };
        var by_hand = function () { say("Select the link and copy it."); };
        input.select();
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, by_hand);
        } else if (document.execCommand("copy")) {
          done();
        } else {
          by_hand();
        }
      });
    });
  });
})();

// Staff dashboard: say so under a table that is wider than its box (the box scrolls
// sideways, with a shadow at the edge that has more), and open a folded section
// when its link in the section index is followed.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll(".table-box");
    var mark = function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      var cue = box.nextElementSibling && box.nextElementSibling.classList.contains("scroll-cue")
        ? box.nextElementSibling : null;
      if (wide && !cue) {
        cue = document.createElement("p");
        cue.className = "scroll-cue";
        cue.textContent = "Scroll the table sideways to see every column.";
        box.parentNode.insertBefore(cue, box.nextSibling);
      } else if (!wide && cue) {
        cue.remove();
      }
    };
    if (boxes.length && "ResizeObserver" in window) {
      var observer = new ResizeObserver(function (entries) {
        entries.forEach(function (entry) { mark(entry.target); });
      });
      boxes.forEach(function (box) { observer.observe(box); });
    }
    var open = function (id) {
      var target = id && document.getElementById(id);
      if (target && target.tagName === "DETAILS") { target.open = true; }
    };
    document.querySelectorAll(".topic-nav a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function () { open(link.getAttribute("href").slice(1)); });
    });
    open(window.location.hash.slice(1));
    window.addEventListener("hashchange", function () { open(window.location.hash.slice(1)); });
  });
})();
