// The review pages' keys (every action also works without this file):
//   queue:  j / k  next / previous flag (focuses its link; Enter opens it),
//           x  tick the current flag, a  assign the ticked (or the current) flag to me;
//   a flag: j / k  next / previous flag in the queue, a  assign to me, d  go to the decision.
(function () {
  "use strict";

  function typing(target) {
    if (!(target instanceof HTMLElement)) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function follow(selector) {
    var link = document.querySelector(selector);
    if (link) window.location.assign(link.getAttribute("href"));
  }

  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-flag]"));
  var current = -1;

  function rowLink(row) {
    return row.querySelector("a.flag-link");
  }

  function move(step) {
    if (!rows.length) return;
    var focused = rows.findIndex(function (row) { return row.contains(document.activeElement); });
    if (focused >= 0) current = focused;
    current = current < 0 ? (step > 0 ? 0 : rows.length - 1)
      : Math.min(rows.length - 1, Math.max(0, current + step));
    rows.forEach(function (row, i) { row.classList.toggle("current", i === current); });
    rowLink(rows[current]).focus();
  }

  function currentBox() {
    if (current < 0) return null;
    return rows[current].querySelector("input[type=checkbox]");
  }

  function queueKey(key) {
    if (key === "j") return move(1), true;
    if (key === "k") return move(-1), true;
    if (key === "x") {
      var box = currentBox();
      if (box) box.checked = !box.checked;
      return Boolean(box);
    }
    if (key === "a") {
      var button = document.querySelector("[data-key=bulk-assign]");
      if (!button) return false;
      var ticked = document.querySelectorAll("input[name=flag_ids]:checked").length;
      var mine = currentBox();
      if (!ticked && mine) mine.checked = true;
      if (!ticked && !mine) return false;
      button.click();
      return true;
    }
    return false;
  }

  function flagKey(key) {
    if (key === "j") return follow("a[data-key=next]"), true;
    if (key === "k") return follow("a[data-key=previous]"), true;
    if (key === "a") {
      var form = document.querySelector("form[data-key=assign]");
      if (!form) return false;
      form.requestSubmit();
      return true;
    }
    if (key === "d") {
      var field = document.querySelector("[data-key=decide]");
      if (!field) return false;
      field.scrollIntoView({ block: "center" });
      field.focus();
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    var handled = rows.length ? queueKey(event.key) : flagKey(event.key);
    if (handled) event.preventDefault();
  });
})();
