// The report view: the measures of `rw-batch eval` (data/report.js, format in docs/eval.md),
// drawn by the page itself (its words in report-text.js, the news and attendance in
// report-measures.js, the graph in report-network.js). Text from the sim goes in with
// textContent only.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const MAX_TEXT = 500;

  let data = null;
  let received = false;
  let lang = document.body.dataset.lang === "en" ? "en" : "zh";
  let chosenAgent = 0;
  const net = { filter: "mutual", picked: -1 };
  const t = (key, values) => RW.reportText.fill(lang, key, values);
  const $ = (id) => document.getElementById(id);
  const clip = (s) => {
    s = s == null ? "" : String(s);
    return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT - 1) + "…" : s;
  };

  function add(parent, tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = clip(text);
    if (cls) node.className = cls;
    parent.appendChild(node);
    return node;
  }

  function empty(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  const name = (i) => {
    const agent = data.agents[i] || ["?", ""];
    return lang === "en" && agent[1] ? agent[1] : agent[0];
  };
  const names = (ids) => (ids.length ? ids.map(name).join(t("sep")) : t("nobody"));
  const pct = (v) => (v * 100).toFixed(v && v < 0.1 ? 1 : 0) + "%";
  // "MM-DD HH:MM", the game time of a step (data.start is step 0's "YYYY-MM-DD HH:MM:SS")
  const clock = (step) => {
    const origin = Date.parse(data.start.replace(" ", "T") + "Z");
    const at = new Date(origin + step * data.sec_per_step * 1000);
    return isNaN(at) ? String(step) : at.toISOString().slice(5, 16).replace("T", " ");
  };

  // A link to the replay at `step`, following agent `i` (or nobody when i < 0); a text only
  // where the site has no replay (a report built from an eval.json alone).
  function link(parent, step, i, text) {
    if (!data.replay) return add(parent, "span", "");
    const parts = ["step=" + step];
    if (i >= 0) parts.push("agent=" + encodeURIComponent(data.agents[i][0]), "follow=1");
    if (lang !== data.ui_lang) parts.push("lang=" + lang);
    const a = add(parent, "a", text, "moment");
    a.href = "index.html#" + parts.join("&");
    return a;
  }

  // What report-measures.js draws with: the payload and these helpers.
  const view = { get data() { return data; }, add, empty, name, names, pct, clock, link,
    t: (k, v) => t(k, v), $: (id) => document.getElementById(id) };

  function drawNetwork() {
    const section = $("network");
    section.hidden = !data.networks.length;
    if (section.hidden) return;
    const select = empty($("network-person"));
    add(select, "option", t("nobody_picked")).value = "-1";
    data.agents.forEach((_, i) => (add(select, "option", name(i)).value = String(i)));
    select.value = String(net.picked);
    $("network-filter").value = net.filter;
    const first = data.networks[0], last = data.networks[data.networks.length - 1];
    const paper = data.paper.density;
    $("network-paper").textContent = t("paper_density", { from: paper[0], to: paper[1] }) +
      " (" + data.paper.source + ")";
    const pick = $("network-pick");
    pick.textContent = "";
    for (const [key, edges] of [["start", first], ["end", last]]) {
      const figures = t("density") + " " + edges[3].toFixed(3) + " · " + t("density_any") + " " +
        edges[2].toFixed(3);
      $("network-" + key + "-cap").textContent = t(key) + " · " + data.steps.find(
        (s) => s[0] === edges[0])[1] + " · " + figures;
      const found = RW.network.graph($("network-" + key), {
        labels: data.agents.map((_, i) => name(i)), titles: data.agents.map((_, i) => name(i)),
        groups: data.groups, edges: edges[1], before: first[1], filter: net.filter,
        picked: net.picked, onPick: pickPerson,
      });
      if (!found) continue;
      const line = add(pick, "p", t("pick_line", { when: t(key), name: name(net.picked),
        knows: found.knows, knownBy: found.knownBy, mutual: found.mutual.length }));
      if (key === "end") add(pick, "p", t("mutual_with") + names(found.mutual), "help");
      line.className = "num";
    }
  }

  function pickPerson(i) {
    net.picked = net.picked === i ? -1 : i;
    drawNetwork();
  }

  function drawHallucination() {
    const box = empty($("hallucination-list"));
    $("hallucination").hidden = !data.hallucination.length;
    const [made, of] = data.paper.hallucination;
    add(box, "p", t("paper_hallucination", { flagged: made, checked: of, pct: pct(made / of) }),
      "num paper");
    for (const [step, checked, flagged] of data.hallucination) {
      const time = (data.steps.find((s) => s[0] === step) || [0, step])[1];
      const rate = checked ? flagged.length / checked : 0;
      add(box, "h3", t("checked_line", { time, checked, flagged: flagged.length, pct: pct(rate) }),
        "num ours");
      const list = add(box, "ol", undefined, "flags");
      for (const [agent, question, answer, reasons] of flagged) {
        const item = add(list, "li");
        add(item, "b", agent >= 0 ? name(agent) : "?");
        add(item, "span", " · " + question, "q");
        add(item, "p", answer, "answer");
        add(item, "p", reasons.map((r) => t(r[0]) + ": " + r[1]).join("；"), "why");
      }
    }
  }

  function drawRatings() {
    const table = empty($("ratings-table"));
    $("ratings").hidden = !data.ratings.length;
    if (!data.ratings.length) return;
    const head = add(add(table, "thead"), "tr");
    for (const key of ["sim", "mode"]) add(head, "th", t(key));
    for (const label of ["μ", "σ", t("comparisons")]) add(head, "th", label);
    const body = add(table, "tbody");
    for (const [sim, mode, mu, sigma, count] of data.ratings) {
      const row = add(body, "tr");
      const cells = [sim, modeText(mode), mu.toFixed(2), sigma.toFixed(2), String(count)];
      for (const cell of cells) add(row, "td", cell);
    }
  }

  // "full" or "no-reflect-plan" (the mind keys that were off) in words.
  function modeText(mode) {
    if (mode === "full") return t("mode_full");
    if (!/^no-/.test(mode)) return mode;
    return t("mode_no", { parts: mode.slice(3).split("-").map((k) => t(k)).join(t("sep")) });
  }

  function drawInterviews() {
    const any = data.interviews.some((list) => list.length);
    $("interviews").hidden = !any;
    if (!any) return;
    const select = empty($("interview-agent"));
    data.agents.forEach((_, i) => {
      add(select, "option", name(i)).value = String(i);
    });
    select.value = String(chosenAgent);
    const box = empty($("interview-list"));
    const answers = data.interviews[chosenAgent] || [];
    if (!answers.length) add(box, "p", t("no_answers"), "empty");
    let lastStep = null, list = null;
    for (const [step, category, question, answer] of answers) {
      if (step !== lastStep) {
        const time = (data.steps.find((s) => s[0] === step) || [0, ""])[1];
        add(box, "h3", time + " · " + t("step") + " " + step);
        list = add(box, "ol", undefined, "qa");
        lastStep = step;
      }
      const item = add(list, "li");
      add(item, "span", t(category), "tag " + category);
      add(item, "b", question);
      add(item, "p", answer, "answer");
    }
  }

  function labelPage() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  }

  function drawTitle() {
    $("title").textContent = data.title || data.sim;
    document.title = (data.title || data.sim) + " · RingWorld";
    const backend = data.backend === "offline" ? t("offline") : data.backend;
    $("subtitle").textContent = t("subtitle", { scenario: data.scenario || data.sim,
      sim: data.sim, backend, n: data.agents.length });
  }

  function draw() {
    labelPage();
    drawTitle();
    $("notice").hidden = true;
    $("offline-note").hidden = data.backend !== "offline";
    RW.reportMeasures.diffusion(view);
    drawNetwork();
    RW.reportMeasures.attendance(view);
    drawHallucination();
    drawRatings();
    drawInterviews();
  }

  function fail(message) {
    labelPage();
    $("notice").textContent = message;
    document.body.dataset.ready = "";
  }

  // base64 of gzip'd msgpack -> the payload (see docs/replay-format.md, "Data files").
  function decode(b64) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const raw = typeof DecompressionStream === "function"
      ? new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")))
        .arrayBuffer().then((buf) => new Uint8Array(buf))
      : Promise.resolve().then(() => RW.gunzip(bytes));
    return raw.then((plain) => window.MessagePack.decode(plain));
  }

  window.ringworldData = function (key, b64) {
    if (key !== "report") return;
    received = true;
    decode(b64).then((payload) => {
      if (!payload || payload.format !== "ringworld-report") throw new Error("not a report");
      data = payload;
      if (/[#&]lang=en/.test(location.hash)) lang = "en";
      else if (/[#&]lang=zh/.test(location.hash)) lang = "zh";
      draw();
      document.body.dataset.ready = "";
    }).catch((err) => fail(t("bad_eval") + err.message));
  };

  function setLang(next) {
    lang = next === "en" ? "en" : "zh";
    history.replaceState(null, "", "#lang=" + lang);
    if (data) draw();
  }

  $("lang-btn").addEventListener("click", () => setLang(lang === "zh" ? "en" : "zh"));
  $("network-filter").addEventListener("change", (e) => {
    net.filter = e.target.value;
    drawNetwork();
  });
  $("network-person").addEventListener("change", (e) => {
    net.picked = +e.target.value;
    drawNetwork();
  });
  $("interview-agent").addEventListener("change", (e) => {
    chosenAgent = +e.target.value;
    drawInterviews();
  });
  window.addEventListener("load", () => {
    if (!received) fail(t("no_eval"));
  });

  // For tests and the curious: the interface language, the agent whose answers are shown.
  window.ringworldReport = {
    lang: () => lang,
    setLang,
    pickAgent: (i) => {
      chosenAgent = i;
      drawInterviews();
    },
  };
})();
