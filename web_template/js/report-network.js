// The who-knows-whom graph of the report view: residents on a circle, housemates side by side
// (a gap between homes), full names around it; the ties shown filtered by strength, and one
// resident's ties highlighted (the others fade). Labels go in with textContent.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const SIZE = 500, C = SIZE / 2, RAD = 132;

  // Indices in circle order (grouped by home, first seen first) and each one's angle.
  function layout(n, groups) {
    const order = [...Array(n).keys()];
    const first = {};
    order.forEach((i) => (first[groups[i] || i] ??= i));
    order.sort((a, b) => first[groups[a] || a] - first[groups[b] || b] || a - b);
    const slots = [];
    let slot = 0;
    order.forEach((i, k) => {
      if (k && groups.length && (groups[i] || i) !== (groups[order[k - 1]] || order[k - 1])) slot++;
      slots[i] = slot++;
    });
    const angle = slots.map((s) => -Math.PI / 2 + (2 * Math.PI * s) / Math.max(slot, 1));
    return angle;
  }

  function pairs(flat) {
    const has = new Set();
    for (let k = 0; k + 1 < flat.length; k += 2) has.add(flat[k] + ">" + flat[k + 1]);
    return has;
  }

  // The ties shown under `filter` ("mutual", "any" or "new": mutual now, not at `before`).
  function ties(n, has, before, filter) {
    const out = [];
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const ab = has.has(a + ">" + b), ba = has.has(b + ">" + a);
        const mutual = ab && ba;
        const wasMutual = before.has(a + ">" + b) && before.has(b + ">" + a);
        const shown = filter === "any" ? ab || ba : filter === "new" ? mutual && !wasMutual : mutual;
        if (shown) out.push([a, b, mutual]);
      }
    }
    return out;
  }

  // opts: {labels, titles, groups, edges (flat "a knows b"), before (flat, for "new"), filter,
  // picked (index or -1), onPick(i)}. Returns the counts of the picked resident, or null.
  function graph(svg, opts) {
    const el = RW.charts.el;
    RW.charts.clear(svg);
    const n = opts.labels.length;
    const angle = layout(n, opts.groups || []);
    const at = (i) => [C + RAD * Math.cos(angle[i]), C + RAD * Math.sin(angle[i])];
    const has = pairs(opts.edges);
    const shown = ties(n, has, pairs(opts.before || []), opts.filter);
    const edges = el(svg, "g", { class: "edges" + (shown.length > 60 ? " dense" : "") });
    const lines = shown.map(([a, b, mutual]) => {
      const [xa, ya] = at(a), [xb, yb] = at(b);
      const cls = mutual ? "edge mutual" : "edge oneway";
      return [a, b, el(edges, "line", { x1: xa, y1: ya, x2: xb, y2: yb, class: cls })];
    });
    const nodes = el(svg, "g", { class: "nodes" });
    const dots = opts.labels.map((label, i) => {
      const [x, y] = at(i);
      const a = angle[i], left = Math.cos(a) < 0;
      const deg = (a * 180) / Math.PI + (left ? 180 : 0);
      const group = el(nodes, "g", { class: "person", tabindex: 0, "data-i": i });
      el(group, "circle", { cx: x, cy: y, r: 6, class: "node" });
      el(group, "title", {}, opts.titles[i]);
      const lx = C + (RAD + 11) * Math.cos(a), ly = C + (RAD + 11) * Math.sin(a);
      el(group, "text", { x: lx, y: ly + 3, class: "label", "text-anchor": left ? "end" : "start",
        transform: `rotate(${deg.toFixed(1)} ${lx.toFixed(1)} ${ly.toFixed(1)})` }, label);
      return group;
    });
    const light = (p) => {
      const tied = new Set([p]);
      lines.forEach(([a, b, line]) => {
        const on = a === p || b === p;
        if (on) tied.add(a === p ? b : a);
        line.classList.toggle("hi", on);
        line.classList.toggle("fade", p >= 0 && !on);
      });
      dots.forEach((d, i) => {
        d.classList.toggle("hi", i === p);
        d.classList.toggle("fade", p >= 0 && !tied.has(i));
      });
    };
    dots.forEach((d, i) => {
      d.addEventListener("click", () => opts.onPick(i));
      d.addEventListener("keydown", (e) => (e.key === "Enter" || e.key === " ") && opts.onPick(i));
      d.addEventListener("mouseenter", () => light(i));
      d.addEventListener("mouseleave", () => light(opts.picked));
    });
    light(opts.picked);
    if (opts.picked < 0) return null;
    const p = opts.picked;
    let knows = 0, knownBy = 0;
    const mutual = [];
    for (let q = 0; q < n; q++) {
      if (has.has(p + ">" + q)) knows++;
      if (has.has(q + ">" + p)) knownBy++;
      if (has.has(p + ">" + q) && has.has(q + ">" + p)) mutual.push(q);
    }
    return { knows, knownBy, mutual };
  }

  RW.network = { graph, layout };
})();
