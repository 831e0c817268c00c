// The Lab tab: a real terminal (xterm.js) in the learner's own workspace, over the WebSocket /ws/terminal.
// A WebSocket carries no headers from a browser: its first message is Telegram's signed initData (the server
// closes the socket with 1008 without it). Keystrokes go as binary frames, resizes as JSON; the bot sends
// the terminal's output as binary frames and what happens (ready, queued, refused, closed) as JSON.
(function () {
  "use strict";
  var TEXT = {
    fr: { tab: "Labo", connecting: "Connexion à ton labo…", ready: "Ton labo est prêt : tape tes commandes.",
          queued_busy: "Ta commande précédente se termine d'abord…",
          queued_full: "Le labo est plein : tu es n° {position} dans la file.",
          reconnect: "Rouvrir le terminal", unauthorized: "Ouvre cette page depuis le bot dans Telegram.",
          lost: "La connexion au labo est coupée.",
          closed_exited: "Terminal fermé (code {code}).", closed_idle: "Terminal fermé : rien tapé depuis un moment.",
          closed_total: "Terminal fermé : durée maximale atteinte.",
          closed_replaced: "Terminal ouvert ailleurs (un autre onglet ou appareil) : celui-ci est fermé.",
          closed_closed: "Terminal fermé.",
          refused_lab_off: "Le labo n'est pas activé sur ce bot.",
          refused_not_a_learner: "Écris d'abord /start au bot, puis reviens ici.",
          refused_replaced: "Un autre terminal a été ouvert entre-temps.",
          refused_lab_unavailable: "Le labo ne répond pas. Réessaie dans un moment.",
          refused_lab_not_prepared: "Le labo n'est pas encore prêt sur le serveur.",
          refused_lab_full: "Le labo est plein. Réessaie dans un moment.",
          refused_lab_host_disk_full: "Le serveur du labo manque de place. Réessaie plus tard.",
          refused_disk_limit: "Ton espace disque est plein : libère de la place (docker system prune -a) ou /reset dans le chat.",
          refused_other: "Le labo a refusé d'ouvrir un terminal ({code})." },
    en: { tab: "Lab", connecting: "Connecting to your lab…", ready: "Your lab is ready: type your commands.",
          queued_busy: "Your previous command finishes first…",
          queued_full: "The lab is full: you are number {position} in line.",
          reconnect: "Open the terminal again", unauthorized: "Open this page from the bot in Telegram.",
          lost: "The connection to the lab was lost.",
          closed_exited: "Terminal closed (code {code}).", closed_idle: "Terminal closed: nothing typed for a while.",
          closed_total: "Terminal closed: its time limit was reached.",
          closed_replaced: "Terminal opened elsewhere (another tab or device): this one is closed.",
          closed_closed: "Terminal closed.",
          refused_lab_off: "The lab is not switched on for this bot.",
          refused_not_a_learner: "Send /start to the bot first, then come back here.",
          refused_replaced: "Another terminal was opened meanwhile.",
          refused_lab_unavailable: "The lab does not answer. Try again in a moment.",
          refused_lab_not_prepared: "The lab is not ready on the server yet.",
          refused_lab_full: "The lab is full. Try again in a moment.",
          refused_lab_host_disk_full: "The lab's server is short of space. Try again later.",
          refused_disk_limit: "Your disk is full: free some space (docker system prune -a) or /reset in the chat.",
          refused_other: "The lab refused to open a terminal ({code})." }
  };
  // keys a phone keyboard lacks
  var KEYS = [["Tab", "\t"], ["Ctrl-C", "\x03"], ["Ctrl-D", "\x04"], ["Esc", "\x1b"], ["↑", "\x1b[A"], ["↓", "\x1b[B"],
              ["←", "\x1b[D"], ["→", "\x1b[C"]];
  var POLICY_VIOLATION = 1008;

  function socketUrl() {
    var url = new URL("ws/terminal", window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.hash = "";
    return url.href;
  }

  function render(panel, ctx) {
    function say(key, values) { status.textContent = ctx.text(TEXT, key, values); }
    var status = ctx.el("p", { "class": "muted lab-status", role: "status" });
    var screen = ctx.el("div", { "class": "lab-terminal", "data-testid": "terminal" });
    var again = ctx.el("button", { "class": "action", hidden: "hidden", text: ctx.text(TEXT, "reconnect"),
                                   onclick: function () { again.hidden = true; connect(); } });
    var keys = ctx.el("div", { "class": "lab-keys" }, KEYS.map(function (key) {
      return ctx.el("button", { "class": "secondary", type: "button", text: key[0],
                                onclick: function () { send(key[1]); term.focus(); } });
    }));
    panel.appendChild(ctx.el("section", { "class": "lab" }, [status, screen, keys, again]));

    var term = new window.Terminal({ cursorBlink: true, fontSize: 13, scrollback: 2000, convertEol: false,
                                     fontFamily: "ui-monospace, Menlo, Consolas, monospace" });
    var fit = new window.FitAddon.FitAddon();
    term.loadAddon(fit);
    term.open(screen);
    fit.fit();
    var socket = null;
    var encoder = new TextEncoder();

    function send(data) {
      if (socket && socket.readyState === WebSocket.OPEN) { socket.send(encoder.encode(data)); }
    }

    function connect() {
      say("connecting");
      socket = new WebSocket(socketUrl());
      socket.binaryType = "arraybuffer";
      var closedSaid = false;
      socket.onopen = function () {
        socket.send(JSON.stringify({ init_data: (ctx.tg && ctx.tg.initData) || "", cols: term.cols, rows: term.rows }));
      };
      socket.onmessage = function (event) {
        if (typeof event.data !== "string") { term.write(new Uint8Array(event.data)); return; }
        var message = JSON.parse(event.data);
        if (message.type === "ready") { say("ready"); term.focus(); }
        else if (message.type === "queued") { say(message.why === "full" ? "queued_full" : "queued_busy", message); }
        else if (message.type === "refused") {
          closedSaid = true;
          say(TEXT.fr["refused_" + message.code] ? "refused_" + message.code : "refused_other", { code: message.code });
        } else if (message.type === "closed") {
          closedSaid = true;
          say("closed_" + (TEXT.fr["closed_" + message.reason] ? message.reason : "closed"),
              { code: message.exit_code === null ? "?" : message.exit_code });
        }
      };
      socket.onclose = function (event) {
        if (!closedSaid) { say(event.code === POLICY_VIOLATION ? "unauthorized" : "lost"); }
        again.hidden = event.code === POLICY_VIOLATION;
        socket = null;
      };
    }

    term.onData(send);
    term.onResize(function (size) {
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ type: "resize", cols: size.cols, rows: size.rows }));
      }
    });
    function refit() { if (document.body.contains(screen)) { fit.fit(); } }
    window.addEventListener("resize", refit);
    if (ctx.tg && ctx.tg.onEvent) { ctx.tg.onEvent("viewportChanged", refit); }
    // the shell has no "leave the tab" hook: when the panel is emptied for another tab, close the terminal
    new MutationObserver(function (changes, observer) {
      if (!document.body.contains(screen)) {
        observer.disconnect();
        window.removeEventListener("resize", refit);
        if (ctx.tg && ctx.tg.offEvent) { ctx.tg.offEvent("viewportChanged", refit); }
        if (socket) { socket.close(); }
        term.dispose();
      }
    }).observe(panel, { childList: true });
    connect();
  }

  window.TutorApp.tab({ id: "lab", order: 50, label: { fr: TEXT.fr.tab, en: TEXT.en.tab },
                        visible: function (me) { return !!(me && me.lab); }, render: render });
})();
