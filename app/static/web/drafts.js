// The paste form: as its source URL changes, show the known source it names
// (/claims/source: found however the URL is spelled) and fill the source's fields left empty
// with what is known of it. The page works without this script.
(function () {
  "use strict";
  var form = document.getElementById("paste-form");
  if (!form) return;
  var found = document.getElementById("paste-source-found");
  var WAIT_MS = 250;
  var timer = null;

  function field(name) { return form.elements.namedItem(name); }

  function say(text, cls) {
    var p = document.createElement("p");
    p.textContent = text;
    if (cls) p.className = cls;
    found.replaceChildren(p);
  }

  function fill(name, value) {
    var input = field(name);
    if (input && value && !input.value) input.value = value;
  }

  function lookUp() {
    var url = field("source_url").value.trim();
    if (!url) { found.replaceChildren(); return; }
    fetch("/claims/source?" + new URLSearchParams({ url: url }).toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (answer) {
      if (!answer.ok) throw new Error("The source lookup is not available (HTTP " + answer.status + ").");
      return answer.json();
    }).then(function (s) {
      if (url !== field("source_url").value.trim()) return; // the URL changed meanwhile
      if (s.found) {
        say("Known source: " + s.title + (s.publisher ? " · " + s.publisher : "") + " · " + s.kind);
        fill("source_title", s.title);
        fill("source_publisher", s.publisher);
        fill("source_published_on", s.published_on);
        fill("source_kind", s.kind);
      } else {
        say(s.problem || "A new source: give its title, publisher and date if you know them.",
          s.problem ? "error" : "muted");
      }
    }).catch(function (error) { say(error.message, "error"); });
  }

  field("source_url").addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookUp, WAIT_MS);
  });
  if (field("source_url").value.trim()) lookUp();
})();
