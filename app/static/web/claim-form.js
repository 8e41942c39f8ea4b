// The claim form's live preview: as the value, period, date or metric change, ask the server
// how a create would read them (/claims/preview: the API's own reading) and show it; as the
// source URL changes, show the known source it names (/claims/source). No framework.
(function () {
  "use strict";
  var form = document.getElementById("claim-form");
  if (!form) return;
  var preview = document.getElementById("preview");
  var found = document.getElementById("source-found");
  var newSource = document.getElementById("new-source");
  var WAIT_MS = 250;

  function field(name) { return form.elements.namedItem(name); }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function fact(list, term, value) {
    list.appendChild(el("dt", term));
    list.appendChild(el("dd", value));
  }

  function debounce(fn) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, WAIT_MS);
    };
  }

  function getJson(path, params, sent) {
    var query = new URLSearchParams(params).toString();
    return fetch(path + "?" + query, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (answer) {
      var type = answer.headers.get("content-type") || "";
      if (!answer.ok || type.indexOf("application/json") !== 0) {
        throw new Error("The preview is not available (HTTP " + answer.status + "): reload the page.");
      }
      return answer.json();
    }).then(function (body) { return { body: body, sent: sent }; });
  }

  var asked = 0;
  function showReading() {
    var params = {
      value_text: field("value_text").value,
      period: field("period").value,
      asserted_on: field("asserted_on").value,
      metric: field("metric").value,
    };
    var number = ++asked;
    if (!params.value_text.trim() && !params.period.trim()) {
      preview.replaceChildren(el("p", "Type a value and a period: their reading shows here before you save.", "muted"));
      return;
    }
    getJson("/claims/preview", params, number).then(function (got) {
      if (got.sent !== asked) return; // a newer question is on its way
      render(got.body);
    }).catch(function (error) {
      preview.replaceChildren(el("p", error.message, "error"));
    });
  }

  function render(reading) {
    var out = [];
    var facts = el("dl", undefined, "facts");
    if (reading.value) {
      var v = reading.value;
      fact(facts, "Value", v.interval);
      fact(facts, "Stated", v.shown + " (" + v.bound + ")");
      fact(facts, "Figure", v.figure_type + ", in " + v.unit + " (" + v.dimension + ")");
    }
    if (reading.metric && reading.metric.new) {
      fact(facts, "Metric", "new: it would be created, measured in " + reading.metric.unit);
    }
    if (reading.period) {
      fact(facts, "Period", reading.period.shown);
    }
    if (facts.childElementCount) out.push(facts);
    (reading.problems || []).forEach(function (problem) {
      var p = el("p", undefined, "error");
      p.appendChild(el("strong", (problem.field || "input").replace("_", " ") + ": "));
      p.appendChild(document.createTextNode(problem.detail));
      out.push(p);
    });
    if (!out.length) out.push(el("p", "Nothing to read yet.", "muted"));
    preview.replaceChildren.apply(preview, out);
  }

  function showSource() {
    var url = field("url").value.trim();
    if (!url) {
      found.replaceChildren();
      newSource.hidden = false;
      return;
    }
    getJson("/claims/source", { url: url }, url).then(function (got) {
      if (got.sent !== field("url").value.trim()) return;
      var s = got.body;
      if (s.found) {
        var p = el("p", "Known source: ");
        p.appendChild(el("strong", s.title));
        p.appendChild(document.createTextNode(
          (s.publisher ? " · " + s.publisher : "") + " · " + s.kind));
        found.replaceChildren(p);
        newSource.hidden = true;
      } else {
        found.replaceChildren(el("p", s.problem ? s.problem
          : "A new source: give its title below (publisher and kind too, if you know them).",
          s.problem ? "error" : "muted"));
        newSource.hidden = false;
      }
    }).catch(function (error) {
      found.replaceChildren(el("p", error.message, "error"));
    });
  }

  var readingSoon = debounce(showReading);
  ["value_text", "period", "asserted_on", "metric"].forEach(function (name) {
    field(name).addEventListener("input", readingSoon);
  });
  field("url").addEventListener("input", debounce(showSource));
  showReading();
  showSource();
})();
