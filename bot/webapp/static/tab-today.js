// Today: the class's calendar (sent, to come) and what is planned at its own time; move, skip or push by tap.
(function () {
  "use strict";
  var C = window.TutorClass;
  var TEXT = {
    fr: { tab: "Aujourd'hui", sent: "Envoyée", next: "À venir", move: "Déplacer", skip: "Sauter", push: "Envoyer maintenant",
          pushNext: "Envoyer la prochaine leçon", confirm: "Valider", cancel: "Annuler", date: "Jour", time: "Heure",
          planned: "Programmé", empty: "Pas de calendrier : envoie une leçon quand tu veux.", announcement: "Annonce",
          calendar: "Calendrier", sureSkip: "Sûr ? Toucher encore pour sauter", surePush: "Sûr ? Toucher encore pour envoyer",
          timeNote: "Heure de la classe : {time} ({zone})", today: "aujourd'hui",
          earlier: "… et {n} leçon(s) déjà envoyée(s) avant" },
    en: { tab: "Today", sent: "Sent", next: "To come", move: "Move", skip: "Skip", push: "Send now",
          pushNext: "Send the next lesson", confirm: "Confirm", cancel: "Cancel", date: "Day", time: "Time",
          planned: "Scheduled", empty: "No calendar: send a lesson whenever you like.", announcement: "Announcement",
          calendar: "Calendar", sureSkip: "Sure? Tap again to skip", surePush: "Sure? Tap again to send",
          timeNote: "Class time: {time} ({zone})", today: "today",
          earlier: "… and {n} lesson(s) sent before" }
  };

  // a button that asks for a second tap before acting (no dialogs: they differ between Telegram's clients)
  function twice(ctx, label, sure, action, extra) {
    var armed = false;
    var button = ctx.el("button", Object.assign({ "class": "action small", text: label, onclick: function () {
      if (!armed) { armed = true; button.textContent = sure; button.classList.add("armed"); return; }
      button.disabled = true;
      action();
    } }, extra || {}));
    return button;
  }

  function render(panel, ctx) {
    var klass = C.chosen(ctx.me);
    var status = C.status(ctx);
    var body = ctx.el("div", { "class": "today" });
    panel.replaceChildren(C.picker(ctx, "today"), status.node, body);

    function act(path, json) {
      status.working();
      return ctx.api("class/" + klass.id + "/" + path, { method: "POST", json: json })
        .then(function (answer) { status.say(answer.message); draw(answer.today); })
        .catch(status.fail);
    }

    function moveForm(line, today) {
      var date = ctx.el("input", { type: "date", name: "date", value: line.date, min: today.today, required: "required" });
      var time = ctx.el("input", { type: "time", name: "time", value: line.at });
      var form = ctx.el("form", { "class": "move-form", onsubmit: function (event) {
        event.preventDefault();
        var json = { lesson_id: line.lesson_id, date: date.value };
        if (time.value && time.value !== today["class"].lesson_time) { json.time = time.value; }
        act("calendar/move", json);
      } }, [
        ctx.el("label", { text: ctx.text(TEXT, "date") }, [date]),
        ctx.el("label", { text: ctx.text(TEXT, "time") }, [time]),
        ctx.el("p", { "class": "muted small", text: ctx.text(TEXT, "timeNote",
          { time: today["class"].lesson_time, zone: today["class"].timezone }) }),
        ctx.el("div", { "class": "row" }, [
          ctx.el("button", { type: "submit", "class": "action small", text: ctx.text(TEXT, "confirm") }),
          ctx.el("button", { type: "button", "class": "action small secondary", text: ctx.text(TEXT, "cancel"),
                             onclick: function () { form.remove(); } })
        ])
      ]);
      return form;
    }

    function lessonCard(line, today) {
      var when = C.day(line.date, ctx.lang) + " · " + line.at + (line.date === today.today ? " · " + ctx.text(TEXT, "today") : "");
      var card = ctx.el("li", { "class": "card lesson" + (line.sent ? " sent" : ""), "data-lesson": line.lesson_id,
                                "data-date": line.date }, [
        ctx.el("div", { "class": "when", text: when }),
        ctx.el("div", { "class": "title", text: line.title }),
        ctx.el("div", { "class": "badge", text: ctx.text(TEXT, line.sent ? "sent" : "next") })
      ]);
      if (!line.sent) {
        var buttons = ctx.el("div", { "class": "row" }, [
          ctx.el("button", { "class": "action small secondary move", text: ctx.text(TEXT, "move"), onclick: function () {
            if (!card.querySelector("form")) { card.appendChild(moveForm(line, today)); }
          } }),
          twice(ctx, ctx.text(TEXT, "skip"), ctx.text(TEXT, "sureSkip"), function () { act("calendar/skip", { date: line.date }); },
                { "data-action": "skip" }),
          twice(ctx, ctx.text(TEXT, "push"), ctx.text(TEXT, "surePush"), function () { act("push", { lesson_id: line.lesson_id }); },
                { "data-action": "push" })
        ]);
        card.appendChild(buttons);
      }
      return card;
    }

    function postCard(post) {
      return ctx.el("li", { "class": "card post", "data-post": String(post.id) }, [
        ctx.el("div", { "class": "when", text: C.day(post.date, ctx.lang) + " · " + post.at }),
        ctx.el("div", { "class": "title", text: (post.kind === "announcement" ? "📣 " : "📘 ") + post.title }),
        ctx.el("div", { "class": "row" }, [
          ctx.el("button", { "class": "action small secondary", text: ctx.text(TEXT, "cancel"),
                             onclick: function () { act("calendar/cancel", { post_id: post.id }); } })
        ])
      ]);
    }

    function draw(today) {
      var children = [twice(ctx, ctx.text(TEXT, "pushNext"), ctx.text(TEXT, "surePush"), function () { act("push", {}); },
                            { "data-action": "push-next" })];
      if (today.posts.length) {
        children.push(ctx.el("h2", { text: ctx.text(TEXT, "planned") }));
        children.push(ctx.el("ul", { "class": "cards" }, today.posts.map(postCard)));
      }
      children.push(ctx.el("h2", { text: ctx.text(TEXT, "calendar") }));
      if (!today.calendar.length) { children.push(ctx.el("p", { "class": "muted", text: ctx.text(TEXT, "empty") })); }
      var sent = today.calendar.filter(function (line) { return line.sent; });
      var shown = sent.slice(-3).concat(today.calendar.filter(function (line) { return !line.sent; }));
      if (sent.length > 3) { children.push(ctx.el("p", { "class": "muted small", text: ctx.text(TEXT, "earlier", { n: sent.length - 3 }) })); }
      children.push(ctx.el("ul", { "class": "cards" }, shown.map(function (line) { return lessonCard(line, today); })));
      body.replaceChildren.apply(body, children);
      var next = body.querySelector(".lesson:not(.sent)");
      if (next && next.previousSibling) { next.previousSibling.classList.add("last-sent"); }
    }

    return ctx.api("class/" + klass.id + "/today").then(draw);
  }

  window.TutorApp.tab({ id: "today", order: 10, label: { fr: TEXT.fr.tab, en: TEXT.en.tab }, visible: C.visible, render: render });
})();
