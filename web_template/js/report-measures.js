// The report view's measures that the paper has too: the news (diffusion), the network and
// attendance, each with counts, the paper's figures beside ours and links to the replay's
// moments behind them. `view` is the page's state and helpers (report.js).
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});

  function time(view, step) {
    const d = view.data;
    const at = d.steps.find((s) => s[0] === step);
    return at ? at[1] : "";
  }

  // "1/25 (4%)"
  function count(view, c, n) {
    return c + "/" + n + " (" + view.pct(n ? c / n : 0) + ")";
  }

  // One line per person: their name, what made them know, a link to that moment.
  function momentList(view, parent, people, moments, knewAtStart) {
    const { add, name, t } = view;
    const byAgent = new Map(moments.map((m) => [m[0], m]));
    const list = add(parent, "ol", undefined, "moments");
    for (const i of people) {
      const item = add(list, "li");
      add(item, "b", name(i));
      const m = byAgent.get(i);
      if (knewAtStart && knewAtStart.indexOf(i) >= 0) add(item, "span", " · " + t("knew_at_start"));
      else if (!m) add(item, "span", " " + t("no_moment"), "empty");
      else {
        const when = view.clock(m[1]);
        const text = m[2] >= 0 ? t("heard_from", { time: when, teller: name(m[2]) })
          : t("heard_memory", { time: when });
        add(item, "span", " · " + text + " ");
        view.link(item, m[1], i, t("watch"));
      }
    }
    return list;
  }

  function diffusion(view) {
    const { data, add, t } = view;
    const section = view.$("diffusion");
    section.hidden = !data.facts.length || !data.steps.length;
    if (section.hidden) return;
    const n = data.agents.length;
    const series = data.facts.map((f) => ({
      title: f.label,
      n,
      counts: f.knowers.map((k) => (k ? k.length : null)),
      heard: f.heard.map((m) => m[1]),
      paper: data.paper.facts[f.id] || null,
    }));
    const xs = data.steps.map((s) => s[0]);
    const colors = RW.charts.newsChart(view.$("diffusion-chart"), series, xs,
      data.steps.map((s) => s[1]), t("paper"));
    const legend = view.empty(view.$("diffusion-legend"));
    data.facts.forEach((f, k) => {
      const item = add(legend, "li", undefined, "fact");
      add(item, "span", "", "swatch").style.background = colors[k];
      add(item, "b", f.label);
      add(item, "span", " · " + f.question, "q");
      const known = f.knowers.filter((v) => v !== null);
      const ends = { from: count(view, known[0].length, n),
        to: count(view, known[known.length - 1].length, n) };
      add(item, "p", t("measured") + ": " + t("fact_counts", ends), "num ours");
      const paper = data.paper.facts[f.id];
      if (paper) {
        add(item, "p", t("paper_diffusion", { source: data.paper.source,
          from: count(view, paper[0], paper[2]), to: count(view, paper[1], paper[2]) }), "num paper");
      }
      const last = known[known.length - 1];
      const box = add(item, "details");
      add(box, "summary", t("who_knows", { n: last.length }));
      const order = last.slice().sort((a, b) => heardAt(f, a) - heardAt(f, b));
      momentList(view, box, order, f.heard, f.known_at_start);
    });
  }

  function heardAt(fact, agent) {
    const m = fact.heard.find((h) => h[0] === agent);
    return m ? m[1] : Infinity;
  }

  function attendance(view) {
    const { data, add, t } = view;
    const box = view.empty(view.$("attendance-list"));
    view.$("attendance").hidden = !data.attendance.length;
    for (const ev of data.attendance) {
      const card = add(box, "div", undefined, "card");
      add(card, "h3", ev.label);
      const place = ev.place.split(":").slice(1).join(" · ") || ev.place;
      add(card, "p", t("place") + ": " + place + " · " + t("window") + ": " + ev.from + " – " + ev.to);
      if (data.replay) view.link(add(card, "p"), ev.steps[0], -1, t("watch_event", { time: ev.from }));
      const ratio = ev.invited.length ? ev.came.length / ev.invited.length : 0;
      const bar = add(card, "div", undefined, "bar");
      add(bar, "div", undefined, "fill").style.width = (ratio * 100).toFixed(1) + "%";
      add(card, "p", t("came_of_invited", { came: ev.came.length, invited: ev.invited.length,
        pct: view.pct(ratio) }), "num ours");
      const paper = data.paper.attendance[ev.event];
      if (paper) {
        add(card, "p", t("paper_attendance", { came: paper[0], invited: paper[1],
          pct: view.pct(paper[0] / paper[1]) }), "num paper");
      }
      add(card, "p", t("invited_means", { words: ev.words.join("”/“"), time: ev.evaluated[1],
        n: ev.invited.length, from: ev.from, to: ev.to, place }), "help");
      invitedList(view, card, ev);
    }
  }

  function invitedList(view, card, ev) {
    const { add, t } = view;
    const details = add(card, "details");
    add(details, "summary", t("invited_list", { n: ev.invited.length }));
    const list = momentList(view, details, ev.invited, ev.heard, null);
    ev.invited.forEach((i, k) => {
      const item = list.children[k];
      const came = ev.came.indexOf(i) >= 0;
      const mark = add(item, "span", came ? t("came_mark") : t("absent_mark"),
        "tag " + (came ? "came" : "absent"));
      item.insertBefore(mark, item.firstChild);
      const m = ev.heard.find((h) => h[0] === i);
      if (m && m[1] >= ev.steps[0]) add(item, "span", t("after_start"), "empty");
    });
    const others = ev.present.filter((i) => ev.invited.indexOf(i) < 0);
    if (others.length) add(details, "p", t("present_uninvited") + view.names(others));
  }

  RW.reportMeasures = { diffusion, attendance, time };
})();
