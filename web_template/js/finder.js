// Finding people: the "who is where" list (agents grouped by the place they are in) and the
// search box over it. Choosing a person selects them and moves the camera to them. It owns the
// search and the agents' colours.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const $ = (id) => document.getElementById(id);
  const SHIRT = 6; // the figure slot whose colour stands for an agent (see sitegen/art)

  // shown: RW.Shown (names); choose(a): the viewer chose agent a.
  function Finder(store, replay, town, shown, choose) {
    this.store = store;
    this.replay = replay;
    this.town = town;
    this.shown = shown;
    this.choose = choose;
    this.key = "";
    this.query = "";
    this.colours = replay.agents.map((agent) => {
      const c = agent.look.colours.subarray(SHIRT * 4, SHIRT * 4 + 3);
      return `rgb(${c[0]},${c[1]},${c[2]})`;
    });
    this.rows = replay.agents.map((_, a) => this.row(a));
    const search = $("search");
    search.addEventListener("input", () => {
      this.query = search.value.trim().toLowerCase();
      this.refresh();
    });
    search.addEventListener("keydown", (e) => {
      if (e.key !== "Enter") return;
      const first = this.matches().indexOf(true);
      if (first >= 0) choose(first);
    });
  }

  Finder.prototype.row = function (a) {
    const item = RW.el("li", "agent-item");
    const button = RW.el("button", "agent-row");
    const dot = RW.el("span", "dot");
    dot.style.background = this.colours[a];
    const name = RW.el("span", "who");
    const emoji = RW.el("span", "emoji");
    const action = RW.el("span", "doing");
    button.append(dot, emoji, name, action);
    button.addEventListener("click", () => this.choose(a));
    item.append(button);
    return { item, name, emoji, action };
  };

  // Whether each agent matches the search (by either of its names).
  Finder.prototype.matches = function () {
    return this.replay.agents.map((agent) => !this.query ||
      [agent.name, agent.name_en].some((n) => n && n.toLowerCase().includes(this.query)));
  };

  // The place each agent is in at `step`: its sector's number, -1 outdoors.
  Finder.prototype.places = function (step) {
    const { town, replay } = this;
    return replay.agents.map((_, a) => town.sectorTile[replay.y(step, a) * town.w +
      replay.x(step, a)]);
  };

  Finder.prototype.refresh = function () {
    const step = this.store.get("step");
    const selected = this.store.get("selected");
    const lang = this.store.get("lang");
    this.rows.forEach((row, a) => {
      RW.setText(row.name, this.shown.name(a));
      RW.setText(row.emoji, this.replay.text(step, a, "emoji"));
      RW.setText(row.action, this.replay.text(step, a, "action"));
      row.item.classList.toggle("chosen", a === selected);
    });
    const places = this.places(step);
    const shown = this.matches();
    const key = [lang, this.query, places.join()].join("|");
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
      const name = p < 0 ? RW.i18n.t("outdoors") : this.town.name(this.town.placeList[p].name,
        lang);
      const head = RW.el("li", "place-head");
      head.append(RW.el("span", "place-name", name), RW.el("span", "count", String(who.length)));
      items.push(head, ...who.map((a) => this.rows[a].item));
    }
    $("agent-list").replaceChildren(...items);
    $("search-empty").hidden = shown.some((m) => m);
  };

  RW.Finder = Finder;
})();
