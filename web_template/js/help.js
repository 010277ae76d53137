// Help for a first-time viewer: the hint shown on a first visit (what one can do, and a play
// button; dismissed once for good where the browser keeps localStorage, even from file://,
// else for the session), the legend of the icon buttons, timeline marks and keys (the ?
// button), and the note that what agents say stays in the run's language.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const $ = (id) => document.getElementById(id);
  const SEEN = "ringworld-hint-seen";

  // localStorage where it works (Chromium and Firefox keep it for file:// pages), else
  // sessionStorage, else nothing.
  function storage() {
    for (const name of ["localStorage", "sessionStorage"]) {
      try {
        const s = window[name];
        s.setItem(SEEN + "-probe", "1");
        s.removeItem(SEEN + "-probe");
        return s;
      } catch (e) {
        /* blocked: try the next */
      }
    }
    return null;
  }

  // player: RW.Player (the hint's play button).
  function Help(store, replay, player) {
    this.store = store;
    this.replay = replay;
    this.storage = storage();
    $("hint-play").addEventListener("click", () => {
      this.dismiss();
      player.play();
    });
    $("hint-close").addEventListener("click", () => this.dismiss());
    $("help-btn").addEventListener("click", () => this.legend(!!$("legend").hidden));
    $("legend-close").addEventListener("click", () => this.legend(false));
    store.subscribe(["lang"], () => this.langNote());
    this.langNote();
  }

  // Show the hint, unless it was dismissed before.
  Help.prototype.hint = function () {
    $("hint").hidden = !!(this.storage && this.storage.getItem(SEEN));
  };

  Help.prototype.dismiss = function () {
    $("hint").hidden = true;
    if (this.storage) this.storage.setItem(SEEN, "1");
  };

  Help.prototype.legend = function (open) {
    $("legend").hidden = !open;
    if (open) $("hint").hidden = true;
  };

  // The note shown while the interface is in another language than the run.
  Help.prototype.langNote = function () {
    const run = this.replay.meta.language;
    const note = $("lang-note");
    note.hidden = this.store.get("lang") === run;
    note.textContent = RW.i18n.fill("lang_note", { lang: RW.i18n.t("lang_" + run) });
  };

  RW.Help = Help;
})();
