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
