// The conversations tab: every conversation of the run (built when the tab is shown: it may
// hold thousands of lines), latest first; those not yet begun marked "later" with their lines
// folded away (no spoilers), the ones going on marked, and the list scrolled to the present
// (the talk going on or the latest before it); a click goes to one. Also makes the entries of
// the agent panel's recent talks.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const $ = (id) => document.getElementById(id);

  // Conversations that began at or before `step` (the list is in start order).
  function begun(list, step) {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].start <= step) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // shown: RW.Shown (names); focus: RW.Focus (going to a conversation).
  function TalkLog(store, replay, town, shown, focus) {
    this.store = store;
    this.replay = replay;
    this.town = town;
    this.shown = shown;
    this.focus = focus;
    this.items = [];
    this.begun = -1;
    this.stale = true;
    this.visible = false;
  }

  // The talk was loaded, or the language changed: build the log again when it is seen.
  TalkLog.prototype.changed = function () {
    this.stale = true;
    if (this.visible) this.render();
  };

  TalkLog.prototype.show = function (visible) {
    this.visible = visible;
    if (visible && this.stale) this.render();
    else if (visible) this.toPresent();
  };

  // Scroll the list so that the present is at its top (the later ones above it).
  TalkLog.prototype.toPresent = function () {
    const item = this.items[this.begun - 1];
    const box = $("tab-talk");
    if (!this.visible || !item) return;
    box.scrollTop += item.getBoundingClientRect().top - box.getBoundingClientRect().top - 4;
  };

  TalkLog.prototype.render = function () {
    this.stale = false;
    const log = $("talk-log");
    log.replaceChildren();
    this.items = (this.replay.talk || []).map((c) => {
      const item = this.item(c);
      log.prepend(item);
      return item;
    });
    this.begun = -1;
    this.refresh();
  };

  TalkLog.prototype.item = function (c) {
    const lang = this.store.get("lang");
    const item = RW.el("li", "talk");
    const head = RW.el("button", "talk-head");
    head.append(RW.el("span", "later-tag", RW.i18n.t("later")),
      RW.el("span", "time", RW.i18n.hhmm(this.replay.time(c.start))),
      RW.el("span", "place", this.town.describe(c.place, lang)), RW.el("span", "pair",
        `${this.shown.name(c.a)} ${RW.i18n.t("and")} ${this.shown.name(c.b)}`));
    head.addEventListener("click", () => this.focus.showTalk(c));
    const lines = RW.el("ol", "lines");
    for (const [speaker, text] of c.lines) {
      const line = RW.el("li");
      line.append(RW.el("b", "", this.shown.speaker(speaker)), RW.el("span", "", text));
      lines.append(line);
    }
    item.append(head, lines);
    return item;
  };

  // All conversations stay in the log (jumping back does not take them away).
  TalkLog.prototype.refresh = function () {
    const talk = this.replay.talk;
    if (!talk) return;
    const step = this.store.get("step");
    const shown = begun(talk, step);
    if (shown === this.begun && !talk.some((c) => c.start <= step && step < c.end)) return;
    this.begun = shown;
    this.items.forEach((item, i) => {
      item.classList.toggle("later", i >= shown);
      item.classList.toggle("now", talk[i].start <= step && step < talk[i].end);
    });
    $("talk-empty").hidden = talk.length > 0;
    this.toPresent();
  };

  RW.TalkLog = TalkLog;
})();
