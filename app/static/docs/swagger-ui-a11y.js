/* What Swagger UI leaves out once an operation is opened and tried out, which axe-core reports
   as critical or serious: a name for the request body's text area and for a parameter's select
   (an enum, a boolean), and keyboard access to the example blocks that scroll sideways (a
   scrolling region must take the focus, so that it can be scrolled without a mouse). Swagger
   UI has no option for them: they are added as its React views draw. Loaded by /docs after
   the bundle (app/api/docs.py); the colours are in swagger-ui.css beside it. */
(function () {
  "use strict";

  function named(control) {
    return control.hasAttribute("aria-label") || control.labels.length > 0;
  }

  function fix() {
    for (const body of document.querySelectorAll(".swagger-ui textarea.body-param__text")) {
      if (!named(body)) body.setAttribute("aria-label", "Request body");
    }
    for (const select of document.querySelectorAll(".swagger-ui tr[data-param-name] select")) {
      if (named(select)) continue;
      const row = select.closest("tr[data-param-name]");
      const where = row.querySelector(".parameter__in");
      const place = where ? ` ${where.textContent.trim()}` : "";
      select.setAttribute("aria-label", `${row.dataset.paramName}${place}`);
    }
    for (const block of document.querySelectorAll(".swagger-ui pre.microlight:not([tabindex])")) {
      block.setAttribute("tabindex", "0");
    }
  }

  new MutationObserver(fix).observe(document.body, { childList: true, subtree: true });
})();
