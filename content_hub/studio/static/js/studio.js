// Studio behaviour on top of server-rendered pages: everything works without
// it; with it, htmx requests carry the CSRF token.
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    event.detail.headers["X-CSRF-Token"] = meta ? meta.getAttribute("content") : "";
  });
})();
