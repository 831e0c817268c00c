// The Mini App's shell: who the caller is (GET api/me), the tabs each feature registers, the theme and language.
// Every API call carries Telegram's signed initData; the server refuses any call without a valid one.
(function () {
  "use strict";
  var tg = window.Telegram && window.Telegram.WebApp;
  var tabs = [];
  var state = { me: null, current: null };

  var TEXT = {
    fr: { loading: "Chargement…", unauthorized: "Ouvre cette page depuis le bot dans Telegram.",
          failed: "Le serveur ne répond pas. Réessaie dans un moment.", hello: "Bonjour {name}",
          nothing: "Rien à afficher ici pour l'instant." },
    en: { loading: "Loading…", unauthorized: "Open this page from the bot in Telegram.",
          failed: "The server does not answer. Try again in a moment.", hello: "Hello {name}",
          nothing: "Nothing to show here yet." }
  };

  function lang() { return (state.me && state.me.language) || "fr"; }
  function text(table, key, values) {
    var chosen = (table[lang()] || table.fr)[key];
    return String(chosen).replace(/\{(\w+)\}/g, function (_, name) { return values && name in values ? values[name] : ""; });
  }

  // fetch an API route (relative: the page may live under a path) with the caller's initData
  function api(path, options) {
    options = options || {};
    var headers = Object.assign({ "X-Telegram-Init-Data": (tg && tg.initData) || "" }, options.headers || {});
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(options.json);
    }
    return fetch("api/" + path, { method: options.method || "GET", headers: headers, body: options.body })
      .then(function (response) {
        if (response.status === 401) { throw new ApiError(401, text(TEXT, "unauthorized")); }
        var kind = response.headers.get("Content-Type") || "";
        var body = kind.indexOf("json") >= 0 ? response.json() : response.text();
        return body.then(function (data) {
          if (!response.ok) { throw new ApiError(response.status, (data && data.message) || text(TEXT, "failed"), data); }
          return data;
        });
      });
  }
  function ApiError(status, message, body) {
    this.status = status; this.message = message; this.problems = (body && body.problems) || null;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; }
      else if (key.slice(0, 2) === "on") { node.addEventListener(key.slice(2), attrs[key]); }
      else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function show(id) {
    state.current = id;
    var panel = document.getElementById("panel");
    panel.replaceChildren();
    Array.prototype.forEach.call(document.querySelectorAll("#tabs button"), function (button) {
      button.setAttribute("aria-selected", String(button.dataset.tab === id));
    });
    var tab = tabs.filter(function (t) { return t.id === id; })[0];
    if (!tab) { panel.appendChild(el("p", { "class": "muted", text: text(TEXT, "nothing") })); return; }
    Promise.resolve(tab.render(panel, context())).catch(fail);
  }

  function context() { return { me: state.me, lang: lang(), api: api, el: el, text: text, tg: tg, show: show }; }

  function fail(error) {
    var panel = document.getElementById("panel");
    panel.replaceChildren(el("p", { "class": "error", role: "alert", text: (error && error.message) || text(TEXT, "failed") }));
  }

  function drawTabs() {
    var nav = document.getElementById("tabs");
    nav.replaceChildren();
    var visible = tabs.filter(function (tab) { return tab.visible(state.me); });
    visible.forEach(function (tab) {
      nav.appendChild(el("button", { role: "tab", "data-tab": tab.id, text: tab.label[lang()] || tab.label.fr,
                                     onclick: function () { show(tab.id); } }));
    });
    if (visible.length) { show(visible[0].id); } else { show(null); }
  }

  window.TutorApp = {
    // a feature's tab: {id, order, label: {fr, en}, visible(me) -> bool, render(panel, ctx)}
    tab: function (tab) {
      tabs.push(tab);
      tabs.sort(function (a, b) { return (a.order || 0) - (b.order || 0); });
      if (state.me) { drawTabs(); }
    },
    api: api
  };

  document.addEventListener("DOMContentLoaded", function () {
    if (tg) { tg.ready(); tg.expand(); }
    document.getElementById("status").textContent = text(TEXT, "loading");
    api("me").then(function (me) {
      state.me = me;
      document.documentElement.lang = me.language;
      document.getElementById("who").textContent = text(TEXT, "hello", { name: me.first_name });
      drawTabs();
    }).catch(fail);
  });
})();
