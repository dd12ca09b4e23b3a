// Django admin: the filter boxes of a many-to-many field (a user's groups and
// permissions) draw an icon as a <span aria-label="…">. A span with no role may
// not carry a label (axe: aria-prohibited-attr), so screen readers may skip it.
// Give each such icon the role of an image, which may be labelled. Runs after the
// admin's own "load" handler has drawn the boxes (this file is deferred, so its
// handler is added after that one).
(function () {
  "use strict";
  window.addEventListener("load", function () {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  });
})();
