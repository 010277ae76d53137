// Finding people: the "who is where" list (agents grouped by the place they are in) and the
// search box over it. Choosing a person selects them and moves the camera to them.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const $ = (id) => document.getElementById(id);
  const SHIRT = 6; // the figure slot whose colour stands for an agent (see sitegen/art)

  function Finder(app) {
    this.app = app;
    this.key = "";
    this.query = "";
    this.colours = app.replay.agents.map((agent) => {
      const c = agent.look.colours.subarray(SHIRT * 4, SHIRT * 4 + 3);
      return `rgb(${c[0]},${c[1]},${c[2]})`;
    });
    this.rows = app.replay.agents.map((_, a) => this.row(a));
    const search = $("search");
    search.addEventListener("input", () => {
      this.query = search.value.trim().toLowerCase();
      this.refresh();
    });
    search.addEventListener("keydown", (e) => {
      if (e.key !== "Enter") return;
      const first = this.matches().indexOf(true);
      if (first >= 0) app.select(first, true);
    });
  }

  Finder.prototype.colour = function (a) {
    return this.colours[a];
  };

  Finder.prototype.row = function (a) {
    const item = RW.el("li", "agent-item");
    const button = RW.el("button", "agent-row");
    const dot = RW.el("span", "dot");
    dot.style.background = this.colours[a];
    const name = RW.el("span", "who");
    const emoji = RW.el("span", "emoji");
    const action = RW.el("span", "doing");
    button.append(dot, emoji, name, action);
    button.addEventListener("click", () => this.app.select(a, true));
    item.append(button);
    return { item, name, emoji, action };
  };

  // Whether each agent matches the search (by either of its names).
  Finder.prototype.matches = function () {
    return this.app.replay.agents.map((agent) => !this.query ||
      [agent.name, agent.name_en].some((n) => n && n.toLowerCase().includes(this.query)));
  };

  // The place each agent is in: its sector's number, -1 outdoors.
  Finder.prototype.places = function () {
    const { town, frame } = this.app;
    return Array.from(frame.tx, (x, a) => town.sectorTile[frame.ty[a] * town.w + x]);
  };

  Finder.prototype.refresh = function () {
    const app = this.app;
    const step = app.step;
    this.rows.forEach((row, a) => {
      RW.setText(row.name, app.name(a));
      RW.setText(row.emoji, app.replay.text(step, a, "emoji"));
      RW.setText(row.action, app.replay.text(step, a, "action"));
      row.item.classList.toggle("chosen", a === app.selected);
    });
    const places = this.places();
    const shown = this.matches();
    const key = [RW.i18n.lang, this.query, places.join()].join("|");
    if (key === this.key) return;
    this.key = key;
    const groups = new Map();
    places.forEach((p, a) => {
      if (!shown[a]) return;
      if (!groups.has(p)) groups.set(p, []);
      groups.get(p).push(a);
    });
    const order = Array.from(groups.keys()).sort((p, q) => (p < 0) - (q < 0) || p - q);
    const items = [];
    for (const p of order) {
      const who = groups.get(p);
      const name = p < 0 ? RW.i18n.t("outdoors") : app.town.name(app.town.placeList[p].name,
        RW.i18n.lang);
      const head = RW.el("li", "place-head");
      head.append(RW.el("span", "place-name", name), RW.el("span", "count", String(who.length)));
      items.push(head, ...who.map((a) => this.rows[a].item));
    }
    $("agent-list").replaceChildren(...items);
    $("search-empty").hidden = shown.some((m) => m);
  };

  RW.Finder = Finder;
})();
