// The highlights strip above the timeline: the run's moments worth seeing (meta.marks
// .highlights, found at build time: conversations that passed news on, reflections, the
// scenario's events such as a party), each a link to that moment (its href is the share
// link; a click goes there with the agent chosen, or for an event to its place).
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const ICON = { news: "📣", thought: "💭", event: "🎉" };
  const EVENT_ZOOM = 24; // CSS pixels a tile, at an event's place
  const LEAD_STEPS = 3; // a jump lands a little before the moment

  // timeline: RW.Timeline (x of a step); shown: RW.Shown (names); go(step, agent, view): jump
  // there (agent -1: none; view [x, y, zoom] or null).
  function Highlights(store, replay, timeline, shown, go) {
    this.store = store;
    this.replay = replay;
    this.timeline = timeline;
    this.shown = shown;
    this.box = document.getElementById("highlights");
    const marks = (replay.meta.marks || {}).highlights || [];
    this.items = marks.map(([step, kind, a, b, name, x, y]) => {
      const link = RW.el("a", "highlight " + kind, ICON[kind] || "•");
      const event = kind === "event";
      const h = { link, step, to: event ? step : Math.max(0, step - LEAD_STEPS), kind, a, b,
        name: String(name || ""), view: event && x >= 0 ? [x + 0.5, y + 0.5, EVENT_ZOOM] : null };
      link.addEventListener("click", (e) => {
        e.preventDefault();
        go(h.to, a, h.view);
      });
      this.box.append(link);
      return h;
    });
    store.subscribe(["lang"], () => this.draw());
    new ResizeObserver(() => this.draw()).observe(this.box);
  }

  Highlights.prototype.draw = function () {
    const width = this.box.getBoundingClientRect().width;
    const agents = this.replay.agents;
    for (const h of this.items) {
      const name = (a) => (a >= 0 ? this.shown.name(a) : "");
      const title = RW.i18n.fill("highlight_" + h.kind, { a: name(h.a), b: name(h.b),
        name: h.name });
      const where = h.a >= 0 ? `agent=${encodeURIComponent(agents[h.a].name)}`
        : h.view ? `view=${h.view.join(",")}` : "";
      h.link.href = `#step=${h.to}` + (where ? "&" + where : "");
      h.link.title = RW.i18n.hhmm(this.replay.time(h.step)) + " " + title;
      h.link.setAttribute("aria-label", h.link.title);
      h.link.style.left = this.timeline.x(h.step, width) + "px";
    }
  };

  // [{step, kind, x}] for tests.
  Highlights.prototype.describe = function () {
    return this.items.map((h) => ({ step: h.step, kind: h.kind, href: h.link.getAttribute("href"),
      title: h.link.title }));
  };

  RW.Highlights = Highlights;
})();
