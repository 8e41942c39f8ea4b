/* Claimtrack's charts, drawn with Observable Plot from the page's own data (the JSON block
   #chart-data, rendered by the server: the browser asks the API for nothing).
   - the watchlist's sparklines: every element [data-spark="slug"];
   - the indicator page's chart (#chart): the series, its targets at their due dates, and the
     claims as intervals (a bar from low to high at the period's end, a dot at the value stated,
     an arrow at an open end), coloured by verification, dashed when in an open conflict. */
(function () {
  "use strict";

  // Kept in step with app.css's .swatch and .state colours.
  const SERIES = "#174ea6";
  const TARGET = "#4f5661";
  const STATE_COLOURS = {
    verified: "#1a7f37",
    unverified: "#b35900",
    unsourced: "#c21f1f",
    reviewed: "#6639ba",
  };
  const CONFLICT = "#000000";
  const MOST_DOTS = 200; // a series with more points is drawn as its line alone

  const source = document.getElementById("chart-data");
  if (!source || typeof Plot === "undefined") return;
  const data = JSON.parse(source.textContent);

  // Plot puts a <style> element in each chart; the pages' Content-Security-Policy (style-src
  // 'self') would refuse it, with an error in the console, once it is in the document. Its
  // rules are in app.css instead, and the element is taken out while the chart is detached.
  function attach(box, chart) {
    for (const style of chart.querySelectorAll("style")) style.remove();
    box.replaceChildren(chart);
  }

  const day = (text) => new Date(text + "T00:00:00Z");
  const iso = (when) => when.toISOString().slice(0, 10);
  const shown = (value) => value.toLocaleString("en", { maximumFractionDigits: 2 });

  function sparklines() {
    for (const box of document.querySelectorAll("[data-spark]")) {
      const spec = data.sparklines && data.sparklines[box.dataset.spark];
      if (!spec || spec.points.length === 0) continue;
      const points = spec.points.map(([on, value]) => ({ on: day(on), value }));
      const svg = Plot.plot({
        width: 160,
        height: 44,
        margin: 5,
        axis: null,
        x: { type: "utc" },
        y: { nice: false },
        marks: [
          Plot.lineY(points, { x: "on", y: "value", stroke: SERIES, strokeWidth: 1.5 }),
          Plot.dot(points, { x: "on", y: "value", r: 2, fill: SERIES }),
        ],
      });
      svg.setAttribute("aria-hidden", "true");
      attach(box, svg);
    }
  }

  const pointTitle = (p) => `${iso(p.on)}: ${shown(p.value)} ${data.label}`;

  function claimTitle(c) {
    const lines = [
      `${c.value_text}${c.period ? ` (${c.period})` : ""}, ${c.kind}`,
      `“${c.quote}”`,
      `Source: ${c.source}`,
      `Said by ${c.stated_by} on ${c.asserted_on}`,
      `${c.verification}${c.conflict ? ", in an open conflict" : ""}`,
    ];
    return lines.join("\n");
  }

  function showClaim(c) {
    const box = document.getElementById("selected");
    if (!box) return;
    const heading = document.createElement("h3");
    const link = document.createElement("a");
    link.href = `/claims/${c.id}`;
    link.textContent = `Claim #${c.id}: ${c.value_text}${c.period ? ` (${c.period})` : ""}`;
    heading.append(link);
    const quote = document.createElement("blockquote");
    quote.textContent = c.quote;
    const about = document.createElement("p");
    about.textContent =
      `${c.source}. Said by ${c.stated_by} on ${c.asserted_on}; ${c.kind}; ` +
      `${c.verification}${c.conflict ? "; in an open conflict" : ""}.`;
    box.replaceChildren(heading, quote, about);
  }

  function intervals(claims, span) {
    // An open end is drawn as an arrow of a fixed share of the chart's height.
    const reach = span * 0.12;
    return claims.map((c) => {
      const low = c.low === null ? null : c.low / data.factor;
      const high = c.high === null ? null : c.high / data.factor;
      const value = c.value / data.factor;
      return {
        ...c,
        start: day(c.start),
        end: day(c.end),
        y: value,
        y1: low === null ? high : low,
        y2: high === null ? low : high,
        open: low === null ? -reach : high === null ? reach : 0,
      };
    });
  }

  function indicatorChart() {
    const box = document.getElementById("chart");
    if (!box) return;
    const f = data.factor;
    const points = data.points.map((p) => ({ on: day(p.date), value: p.value / f }));
    const targets = data.targets.map((t) => ({ ...t, due: day(t.due), goal: t.goal / f }));
    const raw = data.claims.flatMap((c) => [c.value, c.low, c.high].filter((v) => v !== null));
    const ys = [0, ...points.map((p) => p.value), ...targets.map((t) => t.goal), ...raw.map((v) => v / f)];
    const span = Math.max(...ys) - Math.min(...ys) || 1;
    const claims = intervals(data.claims, span);
    const colour = (c) => STATE_COLOURS[c.verification] || TARGET;
    const calm = claims.filter((c) => !c.conflict);
    const clash = claims.filter((c) => c.conflict);
    const bars = (list, dashed) =>
      Plot.ruleX(list, {
        x: "end",
        y1: "y1",
        y2: "y2",
        stroke: colour,
        strokeWidth: 4,
        strokeDasharray: dashed ? "6,3" : undefined,
      });
    const narrow = box.clientWidth < 600;
    const svg = Plot.plot({
      width: Math.max(300, box.clientWidth),
      height: narrow ? 320 : 440,
      marginLeft: 56,
      marginRight: narrow ? 16 : 40,
      marginTop: 30,
      x: { type: "utc", label: null, ticks: narrow ? 4 : undefined },
      y: { label: `↑ ${data.label}`, grid: true, tickFormat: (v) => shown(v) },
      marks: [
        Plot.ruleY([0], { stroke: "#9aa1ab" }),
        Plot.ruleX(targets, { x: "due", stroke: TARGET, strokeDasharray: "4,4" }),
        Plot.dot(targets, { x: "due", y: "goal", symbol: "diamond2", r: 7, stroke: TARGET, strokeWidth: 2 }),
        Plot.text(targets, {
          x: "due",
          y: "goal",
          text: (t) => `Goal: ${t.text} (${t.status.replace("_", " ")})`,
          textAnchor: "end",
          dx: -10,
          dy: -12,
          fill: TARGET,
          fontSize: 12,
        }),
        Plot.lineY(points, { x: "on", y: "value", stroke: SERIES, strokeWidth: 2 }),
        // A dot a value while they stand apart; a long series is its line, its values told by
        // the tip nearest the pointer (a thousand dots would cost the page and blur the line).
        points.length <= MOST_DOTS
          ? Plot.dot(points, {
              x: "on",
              y: "value",
              r: 3.5,
              fill: SERIES,
              title: pointTitle,
              tip: true,
            })
          : Plot.tip(points, Plot.pointerX({ x: "on", y: "value", title: pointTitle })),
        // The claims' periods: a thin span at the value stated.
        Plot.ruleY(claims.filter((c) => c.start < c.end), {
          x1: "start",
          x2: "end",
          y: "y",
          stroke: colour,
          strokeOpacity: 0.55,
          strokeWidth: 2,
        }),
        bars(calm, false),
        bars(clash, true),
        Plot.arrow(claims.filter((c) => c.open !== 0), {
          x1: "end",
          x2: "end",
          y1: "y1",
          y2: (c) => c.y1 + c.open,
          stroke: colour,
          strokeWidth: 2.5,
          headLength: 10,
          bend: 0,
        }),
        Plot.dot(claims, {
          x: "end",
          y: "y",
          r: 6,
          fill: colour,
          stroke: (c) => (c.conflict ? CONFLICT : "#ffffff"),
          strokeWidth: 2,
          className: "claim-marks",
          title: claimTitle,
          tip: { lineWidth: 28, maxRadius: 24 },
        }),
      ],
    });
    svg.setAttribute("aria-hidden", "true");
    svg.addEventListener("click", () => {
      const picked = svg.value;
      if (picked && picked.id !== undefined && picked.quote !== undefined) showClaim(picked);
    });
    attach(box, svg);
  }

  sparklines();
  indicatorChart();
  // Every chart of the page is in the document with its marks: bench/pages.py times page loads
  // to this mark (from the navigation's start).
  performance.mark("claimtrack:charts-drawn");
  let width = window.innerWidth;
  window.addEventListener("resize", () => {
    if (Math.abs(window.innerWidth - width) < 40) return;
    width = window.innerWidth;
    indicatorChart();
  });
})();
