// Entry grid: Enter / arrow keys move between cells like a spreadsheet; warn before leaving with
// unsaved changes. No inline scripts (CSP): this file is loaded by templates/reporting/entry.html.
(function () {
  "use strict";
  var form = document.querySelector("form[data-entry-grid]");
  if (!form) { return; }
  var cells = Array.prototype.slice.call(form.querySelectorAll("[data-cell]"));
  var dirty = false;

  function rowOf(el) { return el.closest("tr"); }
  function colOf(el) { return el.getAttribute("data-col"); }

  // The next cell in the same column, going down (step 1) or up (step -1); else the next cell at all.
  function vertical(el, step) {
    var i = cells.indexOf(el);
    for (var j = i + step; j >= 0 && j < cells.length; j += step) {
      if (colOf(cells[j]) === colOf(el) && rowOf(cells[j]) !== rowOf(el)) { return cells[j]; }
    }
    var k = i + step;
    return k >= 0 && k < cells.length ? cells[k] : null;
  }

  function horizontal(el, step) {
    var k = cells.indexOf(el) + step;
    return k >= 0 && k < cells.length ? cells[k] : null;
  }

  function focus(target) {
    if (!target) { return; }
    target.focus();
    if (target.select && target.tagName === "INPUT") { target.select(); }
  }

  form.addEventListener("keydown", function (event) {
    var el = event.target;
    if (!el.hasAttribute || !el.hasAttribute("data-cell")) { return; }
    var key = event.key;
    var isInput = el.tagName === "INPUT";
    if (key === "Enter") {
      event.preventDefault();
      focus(vertical(el, event.shiftKey ? -1 : 1));
    } else if (key === "ArrowDown" && el.tagName !== "SELECT") {
      event.preventDefault();
      focus(vertical(el, 1));
    } else if (key === "ArrowUp" && el.tagName !== "SELECT") {
      event.preventDefault();
      focus(vertical(el, -1));
    } else if (key === "ArrowRight" && (!isInput || el.selectionStart === el.value.length)) {
      event.preventDefault();
      focus(horizontal(el, 1));
    } else if (key === "ArrowLeft" && (!isInput || el.selectionEnd === 0)) {
      event.preventDefault();
      focus(horizontal(el, -1));
    }
  });

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  // Focus the first cell with a problem, else leave the page as it is.
  var invalid = form.querySelector("[aria-invalid=true], .is-invalid");
  if (invalid) { invalid.focus(); }
}());
