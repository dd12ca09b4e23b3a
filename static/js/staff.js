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
        var done = function () { if (status) { status.textContent = "Copied."; } };
        input.select();
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, function () {
            if (status) { status.textContent = "Select the link and copy it."; }
          });
        } else if (document.execCommand("copy")) {
          done();
        }
      });
    });
  });
})();
