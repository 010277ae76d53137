// Charts of the report view, drawn as SVG by hand: the news chart (counts measured at the
// evaluated steps, the replay's record as steps between them, the paper's figures as hollow
// marks). Every label goes in with textContent.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const PALETTE = ["#d9480f", "#1971c2", "#2f9e44", "#ae3ec9", "#f08c00", "#0c8599", "#c2255c"];
  const W = 420, H = 250, L = 38, R = 56, T = 16, B = 40;

  // A child of an SVG element, in the namespace of the page's own <svg> elements.
  function el(parent, tag, attrs, text) {
    const node = document.createElementNS(parent.namespaceURI, tag);
    for (const key in attrs) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    parent.appendChild(node);
    return node;
  }

  function clear(svg) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
  }

  function axes(svg, xs, xLabels, px, py) {
    for (let k = 0; k <= 4; k++) {
      const y = py(k / 4);
      el(svg, "line", { x1: L, x2: W - R, y1: y, y2: y, class: "grid" });
      el(svg, "text", { x: L - 4, y: y + 3, class: "tick", "text-anchor": "end" }, k * 25 + "%");
    }
    const last = xs.length - 1;
    xs.forEach((x, i) => {
      // "YYYY-MM-DD HH:MM" -> "MM-DD" over "HH:MM", under each measured time
      const [date, clock] = String(xLabels[i]).split(" ");
      const anchor = last && i === 0 ? "start" : last && i === last ? "end" : "middle";
      el(svg, "line", { x1: px(x), x2: px(x), y1: T, y2: H - B, class: "grid when" });
      const text = el(svg, "text", { y: H - B + 14, class: "tick", "text-anchor": anchor });
      el(text, "tspan", { x: px(x) }, (date || "").slice(5));
      el(text, "tspan", { x: px(x), dy: 11 }, clock || "");
    });
  }

  // The replay's record as a step line: how many had first heard it by each step.
  function steps(svg, heard, n, color, px, py, x0, x1) {
    const at = heard.filter((s) => s <= x1).sort((a, b) => a - b);
    let count = at.filter((s) => s <= x0).length;
    let d = "M" + px(x0).toFixed(1) + "," + py(count / n).toFixed(1);
    for (const s of at) {
      if (s <= x0) continue;
      count++;
      d += "H" + px(s).toFixed(1) + "V" + py(count / n).toFixed(1);
    }
    d += "H" + px(x1).toFixed(1);
    el(svg, "path", { d, class: "replay", stroke: color });
  }

  function diamond(svg, cx, cy, color, title) {
    const d = `M${cx},${cy - 5}L${cx + 5},${cy}L${cx},${cy + 5}L${cx - 5},${cy}Z`;
    el(el(svg, "path", { d, class: "paper", stroke: color }), "title", {}, title);
  }

  // series: [{counts: [knowers or null per x], n, heard: [first-heard steps], paper:
  // [from, to, of] or null, title}]; xs: the evaluated steps; xLabels: their game times.
  function newsChart(svg, series, xs, xLabels, paperLabel) {
    clear(svg);
    const x0 = xs[0], x1 = xs[xs.length - 1];
    const px = (x) => (x1 === x0 ? (L + W - R) / 2 : L + ((x - x0) / (x1 - x0)) * (W - L - R));
    const py = (v) => T + (1 - v) * (H - T - B);
    axes(svg, xs, xLabels, px, py);
    const taken = [];
    const label = (x, y, text, cls, color) => {
      let ly = y - 8;
      while (taken.some(([tx, ty]) => Math.abs(tx - x) < 30 && Math.abs(ty - ly) < 11)) ly -= 11;
      taken.push([x, ly]);
      el(svg, "text", { x, y: ly, class: cls, fill: color, "text-anchor": "middle" }, text);
    };
    series.forEach((s, k) => {
      const color = PALETTE[k % PALETTE.length];
      if (s.heard.length) steps(svg, s.heard, s.n, color, px, py, x0, x1);
      if (s.paper) {
        const [from, to, of] = s.paper;
        const ends = [[x0, from], [x1, to]];
        for (const [x, c] of ends) {
          diamond(svg, px(x), py(c / of), color, paperLabel + " " + c + "/" + of);
          if (x === x1) label(px(x) + 26, py(c / of), paperLabel + " " + c, "paper-count", color);
        }
      }
      s.counts.forEach((c, i) => {
        if (c === null || c === undefined) return;
        const cx = px(xs[i]), cy = py(c / s.n);
        const dot = el(svg, "circle", { cx, cy, r: 4, fill: color, class: "measured",
          "data-series": k, "data-count": c });
        el(dot, "title", {}, s.title + ": " + c + "/" + s.n);
        label(cx, cy, c + "/" + s.n, "count", color);
      });
    });
    return series.map((s, k) => PALETTE[k % PALETTE.length]);
  }

  RW.charts = { el, clear, newsChart, palette: PALETTE };
})();
