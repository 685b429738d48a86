// Studio behaviour on top of server-rendered pages: everything works without
// it; with it, htmx requests carry the CSRF token and untouched rich text
// posts back exactly as it came.
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    event.detail.headers["X-CSRF-Token"] = meta ? meta.getAttribute("content") : "";
  });

  // Trix re-serialises the HTML it loads (<p> becomes <div>, and so on), so
  // a form whose rich text nobody touched would save a change. Remember what
  // Trix made of the value the page came with; when the form is sent with
  // that same value, send the page's HTML (data-shown: Trix rewrites the
  // hidden input's value attribute too) instead.
  function inputOf(editor) {
    return document.getElementById(editor.getAttribute("input"));
  }
  document.addEventListener("trix-initialize", function (event) {
    var input = inputOf(event.target);
    if (input) {
      event.target.dataset.loaded = input.value;
    }
  });
  document.addEventListener("submit", function (event) {
    var editors = event.target.querySelectorAll("trix-editor[data-loaded]");
    Array.prototype.forEach.call(editors, function (editor) {
      var input = inputOf(editor);
      if (input && "shown" in input.dataset && input.value === editor.dataset.loaded) {
        input.value = input.dataset.shown;
      }
    });
  }, true);
})();

// Experiment charts: a Vega-Lite spec in <script type="application/json">
// (built by the server), drawn as SVG by vega-embed into the element that
// names it in data-vega-spec. Pages that have charts load the Vega files.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.vegaEmbed !== "function") {
      return;
    }
    var boxes = document.querySelectorAll("[data-vega-spec]");
    Array.prototype.forEach.call(boxes, function (box) {
      var source = document.getElementById(box.getAttribute("data-vega-spec"));
      if (!source) {
        return;
      }
      // Vega gives its container ARIA roles of its own: draw into a child,
      // so the box keeps role="img" and its label.
      var target = document.createElement("div");
      box.appendChild(target);
      window.vegaEmbed(target, JSON.parse(source.textContent), {renderer: "svg", actions: false})
        .then(function () { box.setAttribute("data-drawn", "true"); })
        .catch(function (error) { box.textContent = "The chart could not be drawn (" + error.message + "); its numbers are in the table below."; });
    });
  });
})();
