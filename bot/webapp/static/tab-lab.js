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
          refused_other: "Le labo a refusé d'ouvrir un terminal ({code}).",
          terminal: "Terminal", editor: "Éditeur", file: "Fichier (dans /workspace)", open: "Ouvrir",
          save: "Enregistrer", saved: "Enregistré : {path}", build: "Construire", tag: "Nom de l'image",
          files: "Tes fichiers", new_file: "Nouveau fichier : écris-le puis enregistre.",
          building: "Construction…", step: "Étape {step}/{total} : {line}",
          built: "✅ Image {tag} construite ({seconds} s). Lance-la dans le terminal : docker run --rm {tag}",
          build_failed: "❌ La construction a échoué à : {step}", build_timed_out: "⏱ La construction a pris trop de temps.",
          error_bad_path: "Ce chemin n'est pas accepté : un chemin simple dans /workspace, sans « .. ».",
          error_too_big: "Ce fichier est trop gros pour l'éditeur (256 Kio au plus).",
          error_not_text: "Ce fichier n'est pas du texte.", error_not_a_learner: "Écris d'abord /start au bot, puis reviens ici.",
          error_files_not_written: "Impossible d'écrire ce fichier : quelque chose à toi bloque ce chemin.",
          error_other: "Le labo n'a pas pu le faire ({code})." },
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
          refused_other: "The lab refused to open a terminal ({code}).",
          terminal: "Terminal", editor: "Editor", file: "File (in /workspace)", open: "Open",
          save: "Save", saved: "Saved: {path}", build: "Build", tag: "Image name",
          files: "Your files", new_file: "New file: write it, then save.",
          building: "Building…", step: "Step {step}/{total}: {line}",
          built: "✅ Image {tag} built ({seconds} s). Run it in the terminal: docker run --rm {tag}",
          build_failed: "❌ The build failed at: {step}", build_timed_out: "⏱ The build took too long.",
          error_bad_path: "This path is not accepted: a plain path in /workspace, without “..”.",
          error_too_big: "This file is too big for the editor (256 KiB at most).",
          error_not_text: "This file is not text.", error_not_a_learner: "Send /start to the bot first, then come back here.",
          error_files_not_written: "This file could not be written: something of yours blocks that path.",
          error_other: "The lab could not do it ({code})." }
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

  // xterm.js is most of the page's weight: loaded when a terminal is first opened, not with the page
  var xterm = null;
  function loadXterm() {
    if (xterm) { return xterm; }
    function add(tag, attrs) {
      return new Promise(function (resolve, reject) {
        var node = document.createElement(tag);
        Object.keys(attrs).forEach(function (key) { node[key] = attrs[key]; });
        node.onload = resolve;
        node.onerror = function () { xterm = null; reject(new Error("xterm.js")); };
        document.head.appendChild(node);
      });
    }
    xterm = Promise.all([add("link", { rel: "stylesheet", href: "static/vendor/xterm/xterm.css" }),
                         add("script", { src: "static/vendor/xterm/xterm.js" }).then(function () {
                           return add("script", { src: "static/vendor/xterm/addon-fit.js" });
                         })]);
    return xterm;
  }

  function render(panel, ctx) {
    var body = ctx.el("div", { "class": "lab-body" });
    var current = null;
    var views = {
      terminal: function (into) {
        return loadXterm().then(function () { if (current === "terminal") { terminal(into, ctx); } });
      },
      editor: editor
    };
    var switcher = ctx.el("div", { "class": "lab-switch", role: "group" }, Object.keys(views).map(function (name) {
      return ctx.el("button", { type: "button", "class": "secondary", "data-view": name, text: ctx.text(TEXT, name),
                                onclick: function () { choose(name); } });
    }));
    function choose(name) {
      Array.prototype.forEach.call(switcher.children, function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.view === name));
      });
      body.replaceChildren();  // the terminal closes when it leaves the page (a build waits for it otherwise)
      current = name;
      Promise.resolve(views[name](body, ctx)).catch(function () {
        body.replaceChildren(ctx.el("p", { "class": "error", role: "alert", text: ctx.text(TEXT, "error_other", { code: "xterm" }) }));
      });
    }
    panel.appendChild(switcher);
    panel.appendChild(body);
    choose("terminal");
  }

  function terminal(panel, ctx) {
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
    // the shell has no "leave the tab" hook: when the terminal leaves the page (another tab, the editor), close it
    var watcher = new MutationObserver(function (changes, observer) {
      if (!document.body.contains(screen)) {
        observer.disconnect();
        window.removeEventListener("resize", refit);
        if (ctx.tg && ctx.tg.offEvent) { ctx.tg.offEvent("viewportChanged", refit); }
        if (socket) { socket.close(); }
        term.dispose();
      }
    });
    watcher.observe(panel, { childList: true });  // the editor chosen instead
    watcher.observe(document.getElementById("panel") || panel, { childList: true });  // another tab
    connect();
  }

  // The editor: the files of /workspace, read and saved as the learner; Build streams the build's steps.
  function editor(panel, ctx) {
    function call(path, options) {
      options = options || {};
      var headers = { "X-Telegram-Init-Data": (ctx.tg && ctx.tg.initData) || "" };
      if (options.json !== undefined) { headers["Content-Type"] = "application/json"; }
      return fetch("api/" + path, { method: options.method || "GET", headers: headers,
                                    body: options.json === undefined ? undefined : JSON.stringify(options.json) });
    }
    function failed(response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        var code = (data && data.error) || String(response.status);
        say(TEXT.fr["error_" + code] ? "error_" + code : "error_other", { code: code }, true);
      });
    }
    function say(key, values, error) {
      status.textContent = ctx.text(TEXT, key, values);
      status.className = error ? "error lab-status" : "muted lab-status";
    }
    var status = ctx.el("p", { "class": "muted lab-status", role: "status" });
    var list = ctx.el("select", { "aria-label": ctx.text(TEXT, "files"), onchange: function () { load(list.value); } });
    var path = ctx.el("input", { type: "text", value: "Dockerfile", "aria-label": ctx.text(TEXT, "file"),
                                 autocapitalize: "off", autocorrect: "off", spellcheck: "false" });
    var text = ctx.el("textarea", { "class": "lab-editor", rows: "14", autocapitalize: "off", autocorrect: "off",
                                    spellcheck: "false", "aria-label": ctx.text(TEXT, "editor") });
    var tag = ctx.el("input", { type: "text", value: "mon-image", "aria-label": ctx.text(TEXT, "tag"),
                                autocapitalize: "off", autocorrect: "off", spellcheck: "false" });
    var output = ctx.el("pre", { "class": "lab-output", "aria-live": "polite" });
    var buttons = ctx.el("div", { "class": "lab-actions" }, [
      ctx.el("button", { type: "button", "class": "secondary", text: ctx.text(TEXT, "open"),
                         onclick: function () { load(path.value); } }),
      ctx.el("button", { type: "button", "class": "secondary", text: ctx.text(TEXT, "save"), onclick: save }),
      ctx.el("button", { type: "button", "class": "action", text: ctx.text(TEXT, "build"), onclick: build })
    ]);
    panel.appendChild(ctx.el("section", { "class": "lab" }, [
      status, list, ctx.el("label", { text: ctx.text(TEXT, "file") }, [path]), text, buttons,
      ctx.el("label", { text: ctx.text(TEXT, "tag") }, [tag]), output]));

    function refresh() {
      return call("lab/files").then(function (response) {
        if (!response.ok) { return failed(response); }
        return response.json().then(function (data) {
          list.replaceChildren(ctx.el("option", { value: "", text: ctx.text(TEXT, "files") }));
          data.files.filter(function (f) { return !f.folder; }).forEach(function (f) {
            list.appendChild(ctx.el("option", { value: f.path, text: f.path }));
          });
        });
      });
    }
    function load(name) {
      if (!name) { return; }
      path.value = name;
      var before = text.value;  // typed meanwhile: kept, not overwritten by a late answer
      call("lab/file?path=" + encodeURIComponent(name)).then(function (response) {
        if (text.value !== before || path.value !== name) { return; }
        if (response.status === 404) { text.value = ""; say("new_file"); return; }
        if (!response.ok) { return failed(response); }
        return response.json().then(function (data) {
          if (text.value === before && path.value === name) { text.value = data.text; status.textContent = ""; }
        });
      });
    }
    function save() {
      return call("lab/file", { method: "PUT", json: { path: path.value, text: text.value } }).then(function (response) {
        if (!response.ok) { return failed(response).then(function () { return false; }); }
        say("saved", { path: path.value });
        refresh();
        return true;
      });
    }
    function build() {
      var dockerfile = path.value === "Dockerfile" ? text.value : null;
      output.textContent = "";
      say("building");
      var start = dockerfile === null
        ? call("lab/file?path=Dockerfile").then(function (r) { return r.ok ? r.json().then(function (d) { return d.text; }) : ""; })
        : Promise.resolve(dockerfile);
      start.then(function (content) {
        return call("lab/build", { method: "POST", json: { dockerfile: content, tag: tag.value } });
      }).then(function (response) {
        if (!response.ok) { return failed(response); }
        var reader = response.body.getReader();
        var decoder = new TextDecoder();
        var pending = "";
        function pump() {
          return reader.read().then(function (chunk) {
            pending += decoder.decode(chunk.value || new Uint8Array(), { stream: !chunk.done });
            var lines = pending.split("\n");
            pending = lines.pop();
            lines.filter(Boolean).forEach(function (line) { show(JSON.parse(line)); });
            if (!chunk.done) { return pump(); }
          });
        }
        return pump();
      });
    }
    function show(line) {
      if (line.type === "step") {
        output.textContent += ctx.text(TEXT, "step", { step: line.step, total: line.total || "?", line: line.line }) + "\n";
      } else if (line.type === "queued") {
        say(line.why === "full" ? "queued_full" : "queued_busy", line);
      } else if (line.type === "refused") {
        say(TEXT.fr["error_" + line.code] ? "error_" + line.code : "error_other", { code: line.code }, true);
      } else if (line.type === "done") {
        if (line.ok) { say("built", { tag: line.tag, seconds: line.duration_s }); }
        else if (line.timed_out) { say("build_timed_out", {}, true); }
        else { say("build_failed", { step: line.failed_step || "?" }, true); }
        if (!line.ok && line.error) { output.textContent += "\n" + line.error; }
        refresh();
      }
    }
    refresh();
    load("Dockerfile");
  }

  window.TutorApp.tab({ id: "lab", order: 50, label: { fr: TEXT.fr.tab, en: TEXT.en.tab },
                        visible: function (me) { return !!(me && me.lab); }, render: render });
})();
