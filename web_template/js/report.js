// The report view: the measures of `rw-batch eval` (data/report.js, format in docs/eval.md),
// drawn by the page itself. Text from the sim goes in with textContent only.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const MAX_TEXT = 500;

  const TEXT = {
    zh: {
      back: "← 回放",
      switch_lang: "English",
      loading: "正在载入评估……",
      no_eval: "这次运行还没有评估（rw-batch eval 会写出 eval.json）。",
      bad_eval: "评估数据无法读取：",
      offline_note: "这些数字来自 offline 规则策略（不是大模型）：它们是其规则产生的结果，从未按论文的数字调整。",
      diffusion: "信息扩散",
      diffusion_help: "知道每件事的居民所占比例：回答说知道、提到这件事、并引用了自己的一条记忆才算。",
      network: "关系网络",
      network_help: "一条线表示两人之间至少一方认识另一方；实线为互相认识，虚线为单方面。点一个人看他的连线。",
      start: "开始",
      end: "结束",
      density: "密度",
      mutual: "互相认识",
      knows: "认识",
      known_by: "被认识",
      attendance: "活动出席",
      invited: "受邀",
      came: "受邀且到场",
      present: "到场的人",
      absent: "受邀未到",
      window: "时间",
      place: "地点",
      nobody: "（无）",
      hallucination: "幻觉",
      hallucination_help: "回答提到镇上没有的人或地方，或引用了自己没有的记忆。",
      checked: "检查的回答",
      flagged: "被标记",
      unknown_person: "镇上没有此人",
      unknown_place: "镇上没有此地",
      unknown_memory: "引用了没有的记忆",
      ratings: "评判排名",
      ratings_help: "评判模型两两比较各次运行的访谈回答（看不到是哪一次写的），按 TrueSkill 排名：μ 越高越好，σ 是不确定度。",
      sim: "运行",
      mode: "模式",
      comparisons: "比较次数",
      interviews: "访谈",
      agent: "居民",
      no_answers: "（没有访谈回答）",
      self_knowledge: "自我认知",
      memory: "记忆",
      plans: "计划",
      reactions: "反应",
      reflections: "反思",
      step: "步",
    },
    en: {
      back: "← Replay",
      switch_lang: "中文",
      loading: "Loading the evaluation…",
      no_eval: "This run has no evaluation yet (rw-batch eval writes eval.json).",
      bad_eval: "The evaluation data cannot be read: ",
      offline_note:
        "Measured on the offline rule-based policy (not an LLM): these numbers are whatever its rules produce, never tuned to the paper's.",
      diffusion: "Information diffusion",
      diffusion_help:
        "Share of agents who know each fact: an answer counts when it says so, names the fact and cites one of the agent's memories.",
      network: "Relationships",
      network_help:
        "A line joins two agents when at least one knows the other; solid when both do, dashed when one does. Tap an agent to see its lines.",
      start: "Start",
      end: "End",
      density: "density",
      mutual: "mutual",
      knows: "knows",
      known_by: "known by",
      attendance: "Attendance",
      invited: "invited",
      came: "invited and came",
      present: "Present",
      absent: "Invited, absent",
      window: "Time",
      place: "Place",
      nobody: "(nobody)",
      hallucination: "Hallucination",
      hallucination_help:
        "Answers that name a person or place not in the town, or cite a memory the agent does not have.",
      checked: "answers checked",
      flagged: "flagged",
      unknown_person: "person not in the town",
      unknown_place: "place not in the town",
      unknown_memory: "cites memories it does not have",
      ratings: "Judge's ranking",
      ratings_help:
        "A judge model compared the interview answers of the runs two at a time, blind to which run wrote them; TrueSkill μ (higher is better) and its uncertainty σ.",
      sim: "Run",
      mode: "Mode",
      comparisons: "comparisons",
      interviews: "Interviews",
      agent: "Agent",
      no_answers: "(no interview answers)",
      self_knowledge: "Self-knowledge",
      memory: "Memory",
      plans: "Plans",
      reactions: "Reactions",
      reflections: "Reflections",
      step: "step",
    },
  };

  let data = null;
  let received = false;
  let lang = document.body.dataset.lang === "en" ? "en" : "zh";
  let chosenAgent = 0;
  const t = (key) => TEXT[lang][key] || key;
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
  const shortName = (i) => {
    const full = name(i);
    const part = lang === "en" || !/·/.test(full) ? full.split(/[\s·]/)[0] : full.split("·")[0];
    const most = lang === "en" ? 9 : 5;
    return part.length > most ? part.slice(0, most - 1) + "…" : part;
  };
  const names = (ids) => (ids.length ? ids.map(name).join("、") : t("nobody"));
  const pct = (v) => (v * 100).toFixed(v && v < 0.1 ? 1 : 0) + "%";

  function drawDiffusion() {
    const section = $("diffusion");
    section.hidden = !data.facts.length || !data.steps.length;
    if (section.hidden) return;
    const xs = data.steps.map((s) => s[0]);
    const colors = RW.charts.lineChart($("diffusion-chart"),
      data.facts.map((f) => ({ label: f.id, values: f.shares })), xs, data.steps.map((s) => s[1]));
    const legend = empty($("diffusion-legend"));
    data.facts.forEach((f, n) => {
      const item = add(legend, "li");
      add(item, "span", "", "swatch").style.background = colors[n];
      add(item, "b", f.id);
      add(item, "span", " " + f.question + " ");
      const known = f.shares.filter((v) => v !== null);
      if (known.length) {
        add(item, "span", pct(known[0]) + " → " + pct(known[known.length - 1]), "num");
      }
    });
  }

  function drawNetwork() {
    const section = $("network");
    section.hidden = !data.networks.length;
    if (section.hidden) return;
    const labels = data.agents.map((_, i) => shortName(i));
    const titles = data.agents.map((_, i) => name(i));
    const ends = [["start", data.networks[0]], ["end", data.networks[data.networks.length - 1]]];
    for (const [key, net] of ends) {
      const time = (data.steps.find((s) => s[0] === net[0]) || [0, ""])[1];
      const figures = t("density") + " " + net[2].toFixed(3) + " · " + t("mutual") + " " +
        net[3].toFixed(3);
      $("network-" + key + "-cap").textContent = t(key) + " · " + time + " · " + figures;
      RW.charts.graph($("network-" + key), labels, titles, net[1], (i, knows, knownBy) => {
        $("network-pick").textContent = t(key) + " · " + name(i) + ": " + t("knows") + " " + knows +
          ", " + t("known_by") + " " + knownBy;
      });
    }
  }

  function drawAttendance() {
    const box = empty($("attendance-list"));
    $("attendance").hidden = !data.attendance.length;
    for (const ev of data.attendance) {
      const card = add(box, "div", undefined, "card");
      add(card, "h3", ev.event);
      const place = ev.place.split(":").slice(1).join(" · ") || ev.place;
      const when = ev.from + " – " + ev.to;
      add(card, "p", t("place") + ": " + place + " · " + t("window") + ": " + when);
      const ratio = ev.invited.length ? ev.came.length / ev.invited.length : 0;
      const bar = add(card, "div", undefined, "bar");
      add(bar, "div", undefined, "fill").style.width = (ratio * 100).toFixed(1) + "%";
      add(card, "p", ev.came.length + " / " + ev.invited.length + " " + t("came"), "num");
      const absent = ev.invited.filter((i) => ev.came.indexOf(i) < 0);
      const dl = add(card, "dl");
      for (const [key, ids] of [["came", ev.came], ["absent", absent], ["present", ev.present]]) {
        add(dl, "dt", t(key));
        add(dl, "dd", names(ids));
      }
    }
  }

  function drawHallucination() {
    const box = empty($("hallucination-list"));
    $("hallucination").hidden = !data.hallucination.length;
    for (const [step, checked, flagged] of data.hallucination) {
      const time = (data.steps.find((s) => s[0] === step) || [0, step])[1];
      const rate = checked ? flagged.length / checked : 0;
      add(box, "h3", time + " · " + t("checked") + " " + checked + " · " + t("flagged") + " " +
        flagged.length + " (" + pct(rate) + ")");
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
      const cells = [sim, mode, mu.toFixed(2), sigma.toFixed(2), String(count)];
      for (const cell of cells) add(row, "td", cell);
    }
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

  function draw() {
    labelPage();
    $("notice").hidden = true;
    $("offline-note").hidden = data.backend !== "offline";
    drawDiffusion();
    drawNetwork();
    drawAttendance();
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
  $("interview-agent").addEventListener("change", (e) => {
    chosenAgent = +e.target.value;
    drawInterviews();
  });
  window.addEventListener("load", () => {
    if (!received) fail(t("no_eval"));
  });

  // For tests and the curious: the interface language and the agent whose answers are shown.
  window.ringworldReport = {
    lang: () => lang,
    setLang,
    pickAgent: (i) => {
      chosenAgent = i;
      drawInterviews();
    },
  };
})();
