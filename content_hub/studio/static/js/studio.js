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

// The template editor (template_edit.html): each part's <textarea> becomes a
// CodeMirror editor (Jinja over HTML for HTML parts, Jinja for text parts)
// with line numbers. Tab and Shift-Tab keep moving focus (no keyboard trap);
// each editor's input is named by the part's label. While typing, the draft
// is compiled on the server (debounced) and each problem is marked at its
// part and line. Without JavaScript the textareas and buttons still work.
(function () {
  "use strict";
  var DELAY = 400;
  function start() {
    var form = document.getElementById("template-form");
    if (!form || !window.CodeMirror) {
      return;
    }
    if (CodeMirror.overlayMode && !CodeMirror.modes["jinja2-html"]) {
      CodeMirror.defineMode("jinja2-html", function (config) {
        return CodeMirror.overlayMode(
          CodeMirror.getMode(config, "htmlmixed"),
          CodeMirror.getMode(config, "jinja2")
        );
      });
    }
    var editors = {};
    var areas = form.querySelectorAll("textarea[data-part]");
    Array.prototype.forEach.call(areas, function (area) {
      var label = form.querySelector('label[for="' + area.id + '"]');
      var cm = CodeMirror.fromTextArea(area, {
        mode: area.dataset.mode === "html" ? "jinja2-html" : "jinja2",
        lineNumbers: true,
        lineWrapping: true,
        readOnly: area.readOnly,
        viewportMargin: Infinity,
        gutters: ["template-problem-gutter", "CodeMirror-linenumbers"],
        extraKeys: { Tab: false, "Shift-Tab": false }
      });
      var input = cm.getInputField();
      input.setAttribute("aria-label", (label ? label.textContent : area.name).trim());
      input.setAttribute("aria-describedby", area.getAttribute("aria-describedby") || "");
      input.id = area.id + "-input";
      if (label) {
        label.setAttribute("for", input.id);
      }
      cm.getWrapperElement().classList.add("template-cm");
      cm.on("change", schedule);
      editors[area.dataset.part] = { cm: cm, marked: [] };
    });
    var select = form.querySelector("select[name=format]");
    if (select) {
      select.addEventListener("change", schedule);
    }
    var timer = null;
    var sent = 0;
    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(check, DELAY);
    }
    function check() {
      Object.keys(editors).forEach(function (part) { editors[part].cm.save(); });
      var mine = ++sent;
      fetch(form.dataset.check, {
        method: "POST",
        body: new FormData(form),
        headers: { "HX-Request": "true" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.text();
      }).then(function (html) {
        if (mine === sent) {
          show(html);
        }
      });
    }
    function show(html) {
      var box = document.getElementById("template-problems");
      box.innerHTML = html;
      Object.keys(editors).forEach(function (part) {
        var entry = editors[part];
        entry.cm.clearGutter("template-problem-gutter");
        entry.marked.forEach(function (line) {
          entry.cm.removeLineClass(line, "background", "template-error-line");
        });
        entry.marked = [];
        var own = document.getElementById(entry.cm.getTextArea().id + "-problems");
        if (own) {
          own.innerHTML = "";
        }
        entry.cm.getTextArea().closest(".template-part").classList.remove("has-error");
      });
      var items = box.querySelectorAll("li[data-part]");
      Array.prototype.forEach.call(items, function (item) {
        var entry = editors[item.dataset.part];
        if (!entry) {
          return;
        }
        var line = parseInt(item.dataset.line, 10);
        var area = entry.cm.getTextArea();
        area.closest(".template-part").classList.add("has-error");
        var own = document.getElementById(area.id + "-problems");
        if (own) {
          var li = document.createElement("li");
          li.textContent = item.textContent;
          own.appendChild(li);
        }
        if (line > 0) {
          var marker = document.createElement("span");
          marker.className = "template-problem-marker";
          marker.textContent = "!";
          marker.title = item.textContent;
          entry.cm.setGutterMarker(line - 1, "template-problem-gutter", marker);
          entry.cm.addLineClass(line - 1, "background", "template-error-line");
          entry.marked.push(line - 1);
        }
      });
    }
    // A problem's link puts the cursor on its line in its part's editor.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("#template-problems a[data-part]");
      var entry = link && editors[link.dataset.part];
      if (!entry) {
        return;
      }
      event.preventDefault();
      var line = Math.max(parseInt(link.dataset.line, 10) || 1, 1) - 1;
      entry.cm.focus();
      entry.cm.setCursor({ line: line, ch: 0 });
      entry.cm.scrollIntoView({ line: line, ch: 0 }, 80);
    });
    // Problems the server found on a refused save are marked at once.
    if (document.querySelector("#template-problems li[data-part]")) {
      show(document.getElementById("template-problems").innerHTML);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// Rules editor: Move up / Move down move the rule in the page (the buttons
// post the form without JavaScript), keep focus on the button pressed and
// announce the new position; rules can be dragged by their handle too. The
// order of the rules in the form is the order saved.
(function () {
  "use strict";
  function announce(text) {
    var status = document.getElementById("rules-status");
    if (!status) { return; }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }
  function renumber(list) {
    Array.prototype.forEach.call(list.querySelectorAll("[data-rule]"), function (rule, i) {
      var pos = rule.querySelector(".rule-pos");
      if (pos) { pos.textContent = "Rule " + (i + 1); }
    });
  }
  function position(rule) {
    return Array.prototype.indexOf.call(rule.parentElement.children, rule) + 1;
  }
  function moved(rule) {
    renumber(rule.parentElement);
    announce("Rule " + rule.dataset.label + " moved to position " + position(rule) + ".");
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-move]");
    var rule = button && button.closest("[data-rule]");
    if (!rule) { return; }
    event.preventDefault();
    var up = button.dataset.move === "up";
    var other = up ? rule.previousElementSibling : rule.nextElementSibling;
    if (!other) {
      announce("Rule " + rule.dataset.label + " is already at the " + (up ? "top" : "bottom") + ".");
      return;
    }
    rule.parentElement.insertBefore(rule, up ? other : other.nextElementSibling);
    button.focus();
    moved(rule);
  });

  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var handle = event.target.closest && event.target.closest(".drag-handle");
    if (!handle) { return; }
    dragged = handle.closest("[data-rule]");
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.id);
  });
  function target(event) {
    var rule = event.target.closest && event.target.closest("[data-rule]");
    return dragged && rule && rule !== dragged && rule.parentElement === dragged.parentElement ? rule : null;
  }
  document.addEventListener("dragover", function (event) {
    var rule = target(event);
    if (!rule) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    Array.prototype.forEach.call(document.querySelectorAll(".drop-target"), function (el) {
      el.classList.remove("drop-target");
    });
    rule.classList.add("drop-target");
  });
  document.addEventListener("drop", function (event) {
    var rule = target(event);
    if (!rule) { return; }
    event.preventDefault();
    var box = rule.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    rule.parentElement.insertBefore(dragged, after ? rule.nextElementSibling : rule);
    moved(dragged);
  });
  document.addEventListener("dragend", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".drop-target, .dragging"), function (el) {
      el.classList.remove("drop-target", "dragging");
    });
    dragged = null;
  });
})();

// Audience condition builder: as its rows change, write the condition they
// say into the JSON beside them (the JSON is what is saved), the same way
// content_hub/studio/condition_builder.py does (to_condition, value_of),
// and tell htmx (condition-changed) to count the matching sample customers.
(function () {
  "use strict";
  function valueOf(text) {
    try { return JSON.parse(text); } catch (e) { return text; }
  }
  function conditionOf(builder) {
    var tests = [];
    Array.prototype.forEach.call(builder.querySelectorAll(".builder-row"), function (row) {
      var attr = row.querySelector("[name=b_attr]").value.trim();
      var op = row.querySelector("[name=b_op]").value;
      var text = row.querySelector("[name=b_value]").value;
      var value = valueOf(text);
      var test = {};
      if (op === "segment" || (attr === "segments" && op === "equals" && typeof value === "string")) {
        test.segments = text.trim();
      } else if (attr) {
        if (op === "equals") {
          test[attr] = value;
        } else {
          test[attr] = {};
          test[attr][op] = value;
        }
      } else {
        return;
      }
      tests.push(test);
    });
    var join = builder.querySelector("[name=join]");
    if (tests.length === 0) { return {}; }
    if (join && join.value === "any") { return {"$or": tests}; }
    return tests.length === 1 ? tests[0] : {"$and": tests};
  }
  function sync(event) {
    var builder = event.target.closest && event.target.closest("[data-builder]");
    var json = document.getElementById("condition");
    if (!builder || !json || json.readOnly) { return; }
    json.value = JSON.stringify(conditionOf(builder), null, 2);
    json.dispatchEvent(new Event("condition-changed", {bubbles: true}));
  }
  document.addEventListener("input", sync);
  document.addEventListener("change", sync);
})();
