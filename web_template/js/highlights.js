// The highlights strip above the timeline: the run's moments worth seeing (meta.marks
// .highlights, found at build time: conversations that passed news on, reflections), each a
// link to that moment (its href is the share link; a click goes there with the agent chosen).
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const ICON = { news: "📣", thought: "💭" };
  const LEAD_STEPS = 3; // a jump lands a little before the moment

  // timeline: RW.Timeline (x of a step); shown: RW.Shown (names); go(step, agent): jump there.
  function Highlights(store, replay, timeline, shown, go) {
    this.store = store;
    this.replay = replay;
    this.timeline = timeline;
    this.shown = shown;
    this.box = document.getElementById("highlights");
    this.items = ((replay.meta.marks || {}).highlights || []).map(([step, kind, a, b]) => {
      const link = RW.el("a", "highlight " + kind, ICON[kind] || "•");
      link.addEventListener("click", (e) => {
        e.preventDefault();
        go(Math.max(0, step - LEAD_STEPS), a);
      });
      this.box.append(link);
      return { link, step, kind, a, b };
    });
    store.subscribe(["lang"], () => this.draw());
    new ResizeObserver(() => this.draw()).observe(this.box);
  }

  Highlights.prototype.draw = function () {
    const width = this.box.getBoundingClientRect().width;
    const agents = this.replay.agents;
    for (const h of this.items) {
      const name = (a) => (a >= 0 ? this.shown.name(a) : "");
      const title = RW.i18n.fill("highlight_" + h.kind, { a: name(h.a), b: name(h.b) });
      const step = Math.max(0, h.step - LEAD_STEPS);
      h.link.href = `#step=${step}&agent=${encodeURIComponent(agents[h.a].name)}`;
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
