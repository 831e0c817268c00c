// Learners: each member's progress, last activity, quiz score, exercises and streak; sorted by who is behind
// (or by name, progress, last activity); the table as CSV, saved or sent to the instructor's chat.
(function () {
  "use strict";
  var C = window.TutorClass;
  var TEXT = {
    fr: { tab: "Élèves", sort: "Trier", behind: "Qui est en retard", name: "Nom", progress: "Progression",
          activity: "Dernière activité", lessons: "{done}/{total} leçons", late: "{n} leçon(s) de retard",
          onTrack: "À jour", quiz: "Quiz {p} %", noQuiz: "Quiz —", exercises: "{n} exercice(s)", streak: "🔥 {n} j",
          never: "jamais", csv: "Télécharger (CSV)", csvChat: "Recevoir le CSV dans le chat", none: "Personne n'a encore rejoint la classe.",
          justNow: "à l'instant", minutes: "il y a {n} min", hours: "il y a {n} h", days: "il y a {n} j",
          planned: "Le calendrier a envoyé {n} leçon(s)." },
    en: { tab: "Learners", sort: "Sort", behind: "Who is behind", name: "Name", progress: "Progress",
          activity: "Last activity", lessons: "{done}/{total} lessons", late: "{n} lesson(s) behind",
          onTrack: "On track", quiz: "Quiz {p}%", noQuiz: "Quiz —", exercises: "{n} exercise(s)", streak: "🔥 {n} d",
          never: "never", csv: "Download (CSV)", csvChat: "Get the CSV in the chat", none: "Nobody has joined the class yet.",
          justNow: "just now", minutes: "{n} min ago", hours: "{n} h ago", days: "{n} d ago",
          planned: "The calendar sent {n} lesson(s)." }
  };
  var ORDERS = {
    behind: function (a, b) { return b.behind_by - a.behind_by || a.lessons_done - b.lessons_done || seen(a) - seen(b); },
    name: function (a, b) { return a.name.localeCompare(b.name) || a.member - b.member; },
    progress: function (a, b) { return b.lessons_done - a.lessons_done || a.name.localeCompare(b.name); },
    activity: function (a, b) { return seen(b) - seen(a); }
  };
  var order = "behind";

  function seen(row) { return row.last_activity ? Date.parse(row.last_activity) : 0; }

  function ago(ctx, iso, now) {
    if (!iso) { return ctx.text(TEXT, "never"); }
    var minutes = Math.max(0, Math.round((Date.parse(now) - Date.parse(iso)) / 60000));
    if (minutes < 2) { return ctx.text(TEXT, "justNow"); }
    if (minutes < 60) { return ctx.text(TEXT, "minutes", { n: minutes }); }
    if (minutes < 48 * 60) { return ctx.text(TEXT, "hours", { n: Math.round(minutes / 60) }); }
    return ctx.text(TEXT, "days", { n: Math.round(minutes / 1440) });
  }

  function card(ctx, row, now) {
    var percent = row.lessons_total ? Math.round(100 * row.lessons_done / row.lessons_total) : 0;
    var bar = ctx.el("div", { "class": "bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": String(row.lessons_total),
                              "aria-valuenow": String(row.lessons_done) }, [ctx.el("span")]);
    bar.firstChild.style.width = percent + "%";
    return ctx.el("li", { "class": "card learner" + (row.behind_by ? " behind" : ""), "data-member": String(row.member) }, [
      ctx.el("div", { "class": "row spread" }, [
        ctx.el("strong", { text: row.name }),
        ctx.el("span", { "class": row.behind_by ? "badge late" : "badge", text: row.behind_by
          ? ctx.text(TEXT, "late", { n: row.behind_by }) : ctx.text(TEXT, "onTrack") })
      ]),
      bar,
      ctx.el("div", { "class": "facts muted small" }, [
        ctx.el("span", { text: ctx.text(TEXT, "lessons", { done: row.lessons_done, total: row.lessons_total }) }),
        ctx.el("span", { text: row.quiz_percent === null ? ctx.text(TEXT, "noQuiz") : ctx.text(TEXT, "quiz", { p: row.quiz_percent }) }),
        ctx.el("span", { text: ctx.text(TEXT, "exercises", { n: row.exercises_done }) }),
        ctx.el("span", { text: ctx.text(TEXT, "streak", { n: row.streak }) }),
        ctx.el("span", { text: ago(ctx, row.last_activity, now) })
      ])
    ]);
  }

  function download(ctx, klass, status) {
    status.working();
    var headers = { "X-Telegram-Init-Data": (ctx.tg && ctx.tg.initData) || "" };
    fetch("api/class/" + klass.id + "/learners.csv", { headers: headers }).then(function (response) {
      if (!response.ok) { return response.json().then(function (body) { throw body; }); }
      return response.blob();
    }).then(function (blob) {
      var link = ctx.el("a", { href: URL.createObjectURL(blob), download: "class-" + klass.id + ".csv" });
      document.body.appendChild(link);
      link.click();
      link.remove();
      status.say("✓");
    }).catch(status.fail);
  }

  function render(panel, ctx) {
    var klass = C.chosen(ctx.me);
    var status = C.status(ctx);
    var list = ctx.el("ul", { "class": "cards" });
    var select = ctx.el("select", { "class": "sort", "aria-label": ctx.text(TEXT, "sort") },
      Object.keys(ORDERS).map(function (key) {
        var option = ctx.el("option", { value: key, text: ctx.text(TEXT, key) });
        if (key === order) { option.selected = true; }
        return option;
      }));
    var intro = ctx.el("p", { "class": "muted small" });
    var data = null;
    function draw() {
      var rows = data.learners.slice().sort(ORDERS[order]);
      intro.textContent = ctx.text(TEXT, "planned", { n: data.planned_so_far });
      list.replaceChildren.apply(list, rows.length ? rows.map(function (row) { return card(ctx, row, data.now); })
        : [ctx.el("p", { "class": "muted", text: ctx.text(TEXT, "none") })]);
    }
    select.addEventListener("change", function () { order = select.value; draw(); });
    var actions = ctx.el("div", { "class": "row" }, [
      ctx.el("button", { "class": "action small secondary", text: ctx.text(TEXT, "csvChat"), onclick: function () {
        status.working();
        ctx.api("class/" + klass.id + "/learners/csv-to-chat", { method: "POST", json: {} })
          .then(function (answer) { status.say(answer.message); }).catch(status.fail);
      } }),
      ctx.el("button", { "class": "action small secondary", text: ctx.text(TEXT, "csv"),
                         onclick: function () { download(ctx, klass, status); } })
    ]);
    panel.replaceChildren(C.picker(ctx, "learners"), ctx.el("label", { "class": "sort-label", text: ctx.text(TEXT, "sort") }, [select]),
                          intro, list, actions, status.node);
    return ctx.api("class/" + klass.id + "/learners").then(function (body) { data = body; draw(); });
  }

  window.TutorApp.tab({ id: "learners", order: 20, label: { fr: TEXT.fr.tab, en: TEXT.en.tab }, visible: C.visible, render: render });
})();
