// Finding people: the "who is where" list (agents grouped by the place they are in) and the
// search box over it. Choosing a person selects them and moves the camera to them. It owns the
// search and the agents' colours. The list is virtual (vlist.js): only the rows near the
// visible part are in the DOM, made when first shown, and only they follow the step.
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
    this.away = true; // the list was out of sight at the last refresh
    this.colours = replay.agents.map((agent) => {
      const c = agent.look.colours.subarray(SHIRT * 4, SHIRT * 4 + 3);
      return `rgb(${c[0]},${c[1]},${c[2]})`;
    });
    // what each agent is searched by: both names, in lower case
    this.searched = replay.agents.map((agent) =>
      [agent.name, agent.name_en].filter(Boolean).map((n) => n.toLowerCase()));
    this.rows = new Array(replay.nAgents); // made when first shown
    this.heads = new Map(); // place number -> its heading, made when first shown
    this.counts = new Map(); // place number -> people in it now (shown by the search)
    this.list = new RW.VList($("agent-list"), $("tab-agents"), (n, head) =>
      (head ? this.head(n) : this.rowOf(n).item), { head: 26, row: 34 });
    // the list follows the step only while it can be seen: made again when the panel opens
    new MutationObserver(() => this.refresh()).observe($("side"), { attributes: true,
      attributeFilter: ["class"] });
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

  Finder.prototype.rowOf = function (a) {
    if (this.rows[a]) return this.rows[a];
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
    this.rows[a] = { item, name, emoji, action };
    this.fill(a);
    return this.rows[a];
  };

  // Heading of place p (-1: outdoors) with the number of people in it (matching the search).
  Finder.prototype.head = function (p) {
    let head = this.heads.get(p);
    if (!head) {
      head = RW.el("li", "place-head");
      head.append(RW.el("span", "place-name"), RW.el("span", "count"));
      this.heads.set(p, head);
    }
    const name = p < 0 ? RW.i18n.t("outdoors") : this.town.name(this.town.placeList[p].name,
      this.store.get("lang"));
    RW.setText(head.firstChild, name);
    RW.setText(head.lastChild, String(this.counts.get(p) || 0));
    return head;
  };

  // The row of agent a as of the step shown.
  Finder.prototype.fill = function (a) {
    const row = this.rows[a];
    const step = this.store.get("step");
    RW.setText(row.name, this.shown.name(a));
    RW.setText(row.emoji, this.replay.text(step, a, "emoji"));
    RW.setText(row.action, this.replay.text(step, a, "action"));
    row.item.classList.toggle("chosen", a === this.store.get("selected"));
  };

  // Whether each agent matches the search (by either of its names).
  Finder.prototype.matches = function () {
    const q = this.query;
    return this.searched.map((names) => !q || names.some((n) => n.includes(q)));
  };

  // The place each agent is in at `step`: its sector's number, -1 outdoors.
  Finder.prototype.places = function (step) {
    const { town, replay } = this;
    return replay.agents.map((_, a) => town.sectorTile[replay.y(step, a) * town.w +
      replay.x(step, a)]);
  };

  Finder.prototype.refresh = function () {
    if ($("tab-agents").hidden || !$("side").classList.contains("open")) {
      this.away = true;
      return;
    }
    const step = this.store.get("step");
    const places = this.places(step);
    const shown = this.matches();
    const key = [this.store.get("lang"), this.query, places.join()].join("|");
    if (key !== this.key) {
      this.key = key;
      this.regroup(places, shown);
      $("search-empty").hidden = shown.some((m) => m);
    } else this.list.draw(false);
    if (this.away) this.revealChosen(); // back to the list: the one chosen is in sight
    this.away = false;
    for (const a of this.list.shownItems()) this.fill(a);
  };

  Finder.prototype.revealChosen = function () {
    const a = this.store.get("selected");
    if (a >= 0) this.list.reveal((n, head) => !head && n === a);
  };

  // The list's entries: a heading for each place (outdoors last), then the people in it.
  Finder.prototype.regroup = function (places, shown) {
    const groups = new Map();
    places.forEach((p, a) => {
      if (!shown[a]) return;
      if (!groups.has(p)) groups.set(p, []);
      groups.get(p).push(a);
    });
    const order = Array.from(groups.keys()).sort((p, q) => (p < 0) - (q < 0) || p - q);
    const entries = [];
    const heads = [];
    this.counts.clear();
    for (const p of order) {
      const who = groups.get(p);
      this.counts.set(p, who.length);
      entries.push(p, ...who);
      heads.push(1, ...who.map(() => 0));
    }
    this.list.set(entries, heads);
  };

  RW.Finder = Finder;
})();
