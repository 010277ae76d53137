// Small helpers of the page's DOM: making elements, setting text, and the error notice. Every
// text that may come from the sim (LLM output, personas, names) goes in by textContent.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});

  RW.el = function (tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // Set text only when it changes: the DOM then lays out only what changed.
  RW.setText = function (node, text) {
    if (node.textContent !== text) node.textContent = text;
  };

  // Say that something could not be loaded (and log it).
  RW.fail = function (err) {
    const notice = document.getElementById("notice");
    notice.textContent = RW.i18n.t("load_failed") + (err && err.message ? err.message : err);
    notice.hidden = false;
    console.error(err);
  };
})();
