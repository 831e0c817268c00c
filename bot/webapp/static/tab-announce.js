// Announce: Markdown with a live preview (the very messages learners will get, checked as /announce checks them),
// then send now or schedule at a day and time in the class's time zone.
(function () {
  "use strict";
  var C = window.TutorClass;
  var TEXT = {
    fr: { tab: "Annonce", label: "Ton annonce (Markdown : **gras**, _italique_, `code`, [lien](https://…))",
          placeholder: "Demain, cours en salle B12 à 9 h.", preview: "Aperçu : ce que recevront {n} membre(s)",
          send: "Envoyer maintenant", sureSend: "Sûr ? Toucher encore pour envoyer", schedule: "Programmer",
          date: "Jour", time: "Heure", zone: "Heure de la classe ({zone})", empty: "Écris ton texte : l'aperçu s'affiche ici.",
          line: "ligne {n} : {text}" },
    en: { tab: "Announce", label: "Your announcement (Markdown: **bold**, _italics_, `code`, [link](https://…))",
          placeholder: "Tomorrow, class in room B12 at 9 am.", preview: "Preview: what {n} member(s) will get",
          send: "Send now", sureSend: "Sure? Tap again to send", schedule: "Schedule",
          date: "Day", time: "Time", zone: "Class time ({zone})", empty: "Write your text: the preview shows here.",
          line: "line {n}: {text}" }
  };
  var draft = "";  // kept while the page is open, across tabs

  function render(panel, ctx) {
    var klass = C.chosen(ctx.me);
    var status = C.status(ctx);
    var text = ctx.el("textarea", { rows: "6", name: "text", placeholder: ctx.text(TEXT, "placeholder") });
    text.value = draft;
    var preview = ctx.el("div", { "class": "preview", "aria-live": "polite" });
    var sendArmed = false;
    var send = ctx.el("button", { "class": "action", "data-action": "send", text: ctx.text(TEXT, "send"), onclick: function () {
      if (!sendArmed) { sendArmed = true; send.textContent = ctx.text(TEXT, "sureSend"); send.classList.add("armed"); return; }
      post({ text: text.value });
    } });
    var date = ctx.el("input", { type: "date", name: "date" });
    var time = ctx.el("input", { type: "time", name: "time", value: "09:00" });
    var schedule = ctx.el("button", { "class": "action secondary", "data-action": "schedule", text: ctx.text(TEXT, "schedule"),
      onclick: function () { if (date.value) { post({ text: text.value, date: date.value, time: time.value || "09:00" }); } else { date.focus(); } } });

    function disarm() { sendArmed = false; send.textContent = ctx.text(TEXT, "send"); send.classList.remove("armed"); }

    function post(json) {
      send.disabled = schedule.disabled = true;
      status.working();
      ctx.api("class/" + klass.id + "/announce", { method: "POST", json: json }).then(function (answer) {
        status.say(answer.message);
        draft = text.value = "";
        show();
      }).catch(status.fail).then(function () { send.disabled = schedule.disabled = false; disarm(); });
    }

    var timer = null, asked = 0;
    function show() {
      draft = text.value;
      disarm();
      if (!text.value.trim()) { preview.replaceChildren(ctx.el("p", { "class": "muted", text: ctx.text(TEXT, "empty") })); return; }
      var mine = ++asked;
      ctx.api("class/" + klass.id + "/announce/preview", { method: "POST", json: { text: text.value } }).then(function (answer) {
        if (mine !== asked) { return; }
        var bubbles = answer.parts_html.map(function (html) {
          var bubble = ctx.el("div", { "class": "bubble" });
          bubble.innerHTML = html;  // rebuilt by the server from Telegram's tags only (bot/webapp/preview_html.py)
          return bubble;
        });
        preview.replaceChildren.apply(preview, [ctx.el("p", { "class": "muted small", text: ctx.text(TEXT, "preview", { n: answer.members }) })].concat(bubbles));
      }).catch(function (error) {
        if (mine !== asked) { return; }
        var lines = (error.problems || []).map(function (p) { return ctx.el("li", { text: ctx.text(TEXT, "line", { n: p.line, text: p.text }) }); });
        preview.replaceChildren(ctx.el("p", { "class": "error", role: "alert", text: error.message }), ctx.el("ul", { "class": "error problems" }, lines));
      });
    }
    text.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(show, 350); });

    panel.replaceChildren(
      C.picker(ctx, "announce"),
      ctx.el("label", { "class": "block", text: ctx.text(TEXT, "label") }, [text]),
      preview,
      ctx.el("div", { "class": "row" }, [send]),
      ctx.el("div", { "class": "card schedule" }, [
        ctx.el("p", { "class": "muted small", text: ctx.text(TEXT, "zone", { zone: klass.timezone }) }),
        ctx.el("div", { "class": "row" }, [
          ctx.el("label", { text: ctx.text(TEXT, "date") }, [date]),
          ctx.el("label", { text: ctx.text(TEXT, "time") }, [time])
        ]),
        schedule
      ]),
      status.node);
    show();
  }

  window.TutorApp.tab({ id: "announce", order: 30, label: { fr: TEXT.fr.tab, en: TEXT.en.tab }, visible: C.visible, render: render });
})();
