// Charts of the report view, drawn as SVG by hand: a line chart of shares over time and a
// who-knows-whom graph on a circle. Every label goes in with textContent.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const PALETTE = ["#d9480f", "#1971c2", "#2f9e44", "#ae3ec9", "#f08c00", "#0c8599", "#c2255c"];

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

  // series: [{label, values: [share 0..1 or null per x]}]; xs: step numbers; xLabels: text.
  function lineChart(svg, series, xs, xLabels) {
    clear(svg);
    const W = 360, H = 220, L = 38, R = 12, T = 10, B = 40;
    const x0 = xs[0], x1 = xs[xs.length - 1];
    const px = (x) => (x1 === x0 ? (L + W - R) / 2 : L + ((x - x0) / (x1 - x0)) * (W - L - R));
    const py = (v) => T + (1 - v) * (H - T - B);
    for (let k = 0; k <= 4; k++) {
      const y = py(k / 4);
      el(svg, "line", { x1: L, x2: W - R, y1: y, y2: y, class: "grid" });
      el(svg, "text", { x: L - 4, y: y + 3, class: "tick", "text-anchor": "end" }, k * 25 + "%");
    }
    const every = Math.max(1, Math.ceil(xs.length / 4));
    const last = xs.length - 1;
    xs.forEach((x, i) => {
      if (i % every && i !== last) return;
      // "YYYY-MM-DD HH:MM" -> "MM-DD" over "HH:MM"; the ends are anchored inside the chart
      const [date, clock] = String(xLabels[i]).split(" ");
      const anchor = last && i === 0 ? "start" : last && i === last ? "end" : "middle";
      const text = el(svg, "text", { y: H - B + 14, class: "tick", "text-anchor": anchor });
      el(text, "tspan", { x: px(x) }, (date || "").slice(5));
      el(text, "tspan", { x: px(x), dy: 11 }, clock || "");
    });
    series.forEach((s, n) => {
      const color = PALETTE[n % PALETTE.length];
      const points = [];
      s.values.forEach((v, i) => {
        if (v !== null && v !== undefined) points.push([px(xs[i]), py(v)]);
      });
      el(svg, "polyline", {
        class: "series",
        stroke: color,
        points: points.map((p) => p[0].toFixed(1) + "," + p[1].toFixed(1)).join(" "),
      });
      for (const [cx, cy] of points) el(svg, "circle", { cx, cy, r: 3, fill: color, class: "dot" });
    });
    return series.map((s, n) => PALETTE[n % PALETTE.length]);
  }

  // labels: short node names; titles: full names; flat: [a, b, a, b, ...] "a knows b".
  // One line per pair that knows each other in either direction (solid when both do).
  // onPick(i, knows, knownBy) is called when a node is clicked.
  function graph(svg, labels, titles, flat, onPick) {
    clear(svg);
    const n = labels.length, C = 160, RAD = n > 12 ? 118 : 100;
    const at = (i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(n, 1);
      return [C + RAD * Math.cos(a), C + RAD * Math.sin(a), a];
    };
    const has = new Set();
    for (let k = 0; k + 1 < flat.length; k += 2) has.add(flat[k] + ">" + flat[k + 1]);
    const edges = el(svg, "g", { class: "edges" });
    const lines = [];
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const ab = has.has(a + ">" + b), ba = has.has(b + ">" + a);
        if (!ab && !ba) continue;
        const [xa, ya] = at(a), [xb, yb] = at(b);
        const line = el(edges, "line", { x1: xa, y1: ya, x2: xb, y2: yb,
          class: ab && ba ? "edge mutual" : "edge oneway" });
        lines.push([a, b, line]);
      }
    }
    const nodes = el(svg, "g", { class: "nodes" });
    labels.forEach((label, i) => {
      const [x, y, a] = at(i);
      const dot = el(nodes, "circle", { cx: x, cy: y, r: 6, class: "node", tabindex: 0 });
      el(dot, "title", {}, titles[i]);
      const lx = C + (RAD + 12) * Math.cos(a), ly = C + (RAD + 12) * Math.sin(a);
      const anchor = Math.abs(Math.cos(a)) < 0.3 ? "middle" : Math.cos(a) > 0 ? "start" : "end";
      el(nodes, "text", { x: lx, y: ly + 3, class: "label", "text-anchor": anchor }, label);
      const pick = () => {
        lines.forEach(([p, q, line]) => line.classList.toggle("hi", p === i || q === i));
        nodes.querySelectorAll(".node").forEach((c) => c.classList.toggle("hi", c === dot));
        let knows = 0, knownBy = 0;
        has.forEach((key) => {
          const [p, q] = key.split(">").map(Number);
          if (p === i) knows++;
          if (q === i) knownBy++;
        });
        if (onPick) onPick(i, knows, knownBy);
      };
      dot.addEventListener("click", pick);
      dot.addEventListener("keydown", (e) => (e.key === "Enter" || e.key === " ") && pick());
    });
  }

  RW.charts = { lineChart, graph, palette: PALETTE };
})();
