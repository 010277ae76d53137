// The agent tab: the chosen agent now (action, place, line, object), their recent memories and
// talks, and their persona.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const $ = (id) => document.getElementById(id);
  const PERSONA = ["age", "innate", "learned", "currently", "lifestyle", "living_area",
    "daily_requirement"];
  const MEMORY_COUNT = 12; // lines of memories shown (a repeated memory is one line)
  const MEMORY_READ = 60; // memories read to make them
  const AGENT_TALKS = 3;

  // colours: an agent's colour by number; talkLog: RW.TalkLog (its entries).
  function Person(store, replay, town, shown, colours, talkLog) {
    this.store = store;
    this.replay = replay;
    this.town = town;
    this.shown = shown;
    this.colours = colours;
    this.talkLog = talkLog;
    this.key = "";
  }

  // The persona of the agent chosen now (or nothing); returns whether there is one.
  Person.prototype.fill = function () {
    const a = this.store.get("selected");
    document.querySelector('#tabs [data-tab="agent"]').hidden = a < 0;
    if (a < 0) return false;
    this.key = ""; // the lists, too, are made again
    const profile = this.replay.agents[a];
    const persona = $("agent-persona");
    persona.replaceChildren();
    for (const key of PERSONA) {
      if (profile[key] === undefined || profile[key] === "") continue;
      persona.append(RW.el("dt", "", RW.i18n.t(key)), RW.el("dd", "", String(profile[key])));
    }
    // memories from before the step's chunk: the chunk before, loaded for this panel
    const before = this.replay.chunkOf(this.store.get("step")) - 1;
    if (before >= 0) {
      this.replay.ensure(before * this.replay.chunkSteps).then(() => this.refresh(), RW.fail);
    }
    return true;
  };

  Person.prototype.refresh = function () {
    const a = this.store.get("selected");
    const step = this.store.get("step");
    if (a < 0 || !this.replay.has(step)) return;
    const replay = this.replay;
    const lang = this.store.get("lang");
    const following = this.store.get("following");
    RW.setText($("agent-name"), this.shown.name(a));
    $("agent-dot").style.background = this.colours[a];
    RW.setText($("agent-emoji"), replay.text(step, a, "emoji"));
    RW.setText($("agent-action"), replay.text(step, a, "action"));
    this.refreshPlace(a, step, lang);
    RW.setText($("agent-chat"), this.shown.lineAt(step, a) || "—");
    const event = replay.text(step, a, "object_event");
    $("agent-event-row").hidden = !event;
    RW.setText($("agent-event"), event);
    RW.setText($("agent-follow"), RW.i18n.t(following ? "unfollow" : "follow"));
    $("agent-follow").classList.toggle("active", following);
    this.refreshLists(a, step, lang);
  };

  // Where the agent is now (the address of their tile), and, while that is not where they
  // are going (their action's address), "going to" that place.
  Person.prototype.refreshPlace = function (a, step, lang) {
    const { replay, town } = this;
    const here = town.addressAt(replay.x(step, a), replay.y(step, a));
    const target = replay.text(step, a, "address");
    const inside = here.split(":").length > 1;
    RW.setText($("agent-place"), inside ? town.describe(here, lang) : RW.i18n.t("outdoors"));
    const area = (address) => address.split(":").slice(0, 3).join(":");
    const going = target && area(target) !== area(here) && !target.startsWith(here + ":");
    $("agent-going-row").hidden = !going;
    RW.setText($("agent-going"), going ? town.describe(target, lang) : "");
  };

  // Memories (newest first, a run of one memory repeated as one line "×N" with its time
  // span), at most MEMORY_COUNT lines.
  function grouped(memories) {
    const out = [];
    for (const m of memories) {
      const last = out[out.length - 1];
      if (last && last.m.text === m.text && last.m.kind === m.kind) {
        last.n++;
        last.first = m.step;
      } else if (out.length < MEMORY_COUNT) out.push({ m, n: 1, first: m.step });
      else break;
    }
    return out;
  }

  Person.prototype.memoryItem = function (g) {
    const { replay } = this;
    const item = RW.el("li", "memory " + g.m.kind);
    const span = g.n > 1 ? RW.i18n.hhmm(replay.time(g.first)) + "–" : "";
    item.append(RW.el("span", "kind", RW.i18n.t("kind_" + g.m.kind)),
      RW.el("span", "time", span + RW.i18n.hhmm(replay.time(g.m.step))),
      RW.el("span", "text", g.m.text));
    if (g.n > 1) item.append(RW.el("span", "times", RW.i18n.fill("times", { n: g.n })));
    return item;
  };

  // Memories and talks, rebuilt only when they change.
  Person.prototype.refreshLists = function (a, step, lang) {
    const replay = this.replay;
    const memories = grouped(replay.memories(step, a, MEMORY_READ));
    const mine = (replay.talk || []).filter((c) => c.start <= step && (c.a === a || c.b === a));
    const talks = mine.slice(-AGENT_TALKS).reverse();
    const key = [a, lang, memories.map((g) => g.m.step + "x" + g.n),
      talks.map((c) => c.start)].join("|");
    if (key === this.key) return;
    this.key = key;
    $("agent-memories").replaceChildren(...memories.map((g) => this.memoryItem(g)));
    $("memories-empty").hidden = memories.length > 0;
    $("agent-talks").replaceChildren(...talks.map((c) => this.talkLog.item(c)));
    $("agent-talks-empty").hidden = talks.length > 0;
  };

  RW.Person = Person;
})();
