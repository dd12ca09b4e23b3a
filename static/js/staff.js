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
