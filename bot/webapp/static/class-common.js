// What the instructor's tabs share: the class they look at (a picker when they teach several), dates in their
// language, and a status line for what an action did. Loaded before the tab-*.js scripts.
(function () {
  "use strict";
  var KEY = "tutorbot.class";
  var TEXT = {
    fr: { klass: "Classe", members: "{n} membre(s)", working: "Un instant…" },
    en: { klass: "Class", members: "{n} member(s)", working: "One moment…" }
  };

  function visible(me) { return !!(me && me.instructor && me.teaches && me.teaches.length); }

  function chosen(me) {
    var id = Number(window.sessionStorage.getItem(KEY));
    return me.teaches.filter(function (c) { return c.id === id; })[0] || me.teaches[0];
  }

  // the class picker (a select when there are several classes, the class's name otherwise); a change redraws the tab
  function picker(ctx, tabId) {
    var current = chosen(ctx.me);
    if (ctx.me.teaches.length < 2) {
      return ctx.el("p", { "class": "class-name", text: current.name + " · " +
        ctx.text(TEXT, "members", { n: current.members }) });
    }
    var select = ctx.el("select", { "class": "class-picker", "aria-label": ctx.text(TEXT, "klass"),
      onchange: function () { window.sessionStorage.setItem(KEY, select.value); ctx.show(tabId); } },
      ctx.me.teaches.map(function (c) {
        var option = ctx.el("option", { value: String(c.id), text: c.name + " (" + c.members + ")" });
        if (c.id === current.id) { option.selected = true; }
        return option;
      }));
    return ctx.el("label", { "class": "class-picker-label" }, [select]);
  }

  function day(iso, lang) {  // "mar. 3 mars" / "Tue, Mar 3"
    var parts = iso.split("-").map(Number);
    var date = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], 12));
    return new Intl.DateTimeFormat(lang, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" })
      .format(date);
  }

  function status(ctx) {  // a line saying what the last action did (or why it failed)
    var line = ctx.el("p", { "class": "status", role: "status", "aria-live": "polite" });
    return {
      node: line,
      working: function () { line.className = "status muted"; line.textContent = ctx.text(TEXT, "working"); },
      say: function (text) { line.className = "status ok"; line.textContent = text; },
      fail: function (error) { line.className = "status error"; line.textContent = (error && error.message) || String(error); }
    };
  }

  window.TutorClass = { visible: visible, chosen: chosen, picker: picker, day: day, status: status };
})();
