// Charts: what /class stats draws, drawn here in SVG: lessons sent by the calendar and done on average, day by
// day; how many learners have done how many lessons; the hardest questions.
(function () {
  "use strict";
  var C = window.TutorClass;
  var NS = "http://www.w3.org/2000/svg";
  var TEXT = {
    fr: { tab: "Graphiques", pace: "Leçons envoyées et faites (moyenne)", planned: "Envoyées par le calendrier",
          done: "Faites en moyenne", spread: "Élèves par nombre de leçons faites", hardest: "Questions les plus difficiles",
          correct: "{p} % de bonnes réponses ({n})", wrong: "Erreur fréquente : {text}", nothing: "Rien à dessiner pour l'instant : aucune leçon envoyée.",
          lessons: "{n} leçon(s)" },
    en: { tab: "Charts", pace: "Lessons sent and done (average)", planned: "Sent by the calendar",
          done: "Done on average", spread: "Learners by lessons done", hardest: "Hardest questions",
          correct: "{p}% right ({n})", wrong: "Common mistake: {text}", nothing: "Nothing to draw yet: no lesson sent.",
          lessons: "{n} lesson(s)" }
  };

  function svg(tag, attrs, children) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }
  function label(x, y, text, anchor) {
    var node = svg("text", { x: x, y: y, "text-anchor": anchor || "start", "class": "axis" });
    node.textContent = text;
    return node;
  }

  var W = 340, H = 180, L = 28, B = 22, T = 8, R = 8;

  function paceChart(ctx, data) {
    var days = {};
    data.planned_by_day.concat(data.done_by_day).forEach(function (point) { days[point[0]] = true; });
    var all = Object.keys(days).sort();
    var top = Math.max(1, data.planned_so_far, Math.max.apply(null, data.done_by_day.map(function (p) { return p[1]; }).concat([0])));
    function x(day) { return L + (all.length < 2 ? 0 : (W - L - R) * all.indexOf(day) / (all.length - 1)); }
    function y(value) { return H - B - (H - B - T) * value / top; }
    function path(points, step) {
      return points.map(function (p, i) {
        var here = x(p[0]) + "," + y(p[1]);
        if (i === 0) { return "M" + here; }
        return step ? "H" + x(p[0]) + "V" + y(p[1]) : "L" + here;
      }).join("");
    }
    var planned = data.planned_by_day.slice();
    if (planned.length && all.length) { planned.push([all[all.length - 1], planned[planned.length - 1][1]]); }
    function dots(points, kind) {  // a day alone draws no line: each day is also a dot
      return points.map(function (p) { return svg("circle", { cx: x(p[0]), cy: y(p[1]), r: 3, "class": "dot " + kind }); });
    }
    return svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": ctx.text(TEXT, "pace"), "class": "chart pace" }, [
      svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, "class": "grid" }),
      svg("line", { x1: L, y1: T, x2: L, y2: H - B, "class": "grid" }),
      label(L - 4, y(top) + 4, String(top), "end"), label(L - 4, H - B, "0", "end"),
      label(L, H - 6, C.day(all[0], ctx.lang)), label(W - R, H - 6, C.day(all[all.length - 1], ctx.lang), "end"),
      svg("path", { d: path(planned, true), "class": "series planned" }),
      svg("path", { d: path(data.done_by_day, false), "class": "series done" })
    ].concat(all.length <= 31 ? dots(data.planned_by_day, "planned").concat(dots(data.done_by_day, "done")) : []));
  }

  function spreadChart(ctx, data) {
    var bars = data.lessons_done_spread, most = Math.max.apply(null, bars.map(function (b) { return b[1]; }).concat([1]));
    var width = (W - L - R) / Math.max(1, bars.length);
    var children = [svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, "class": "grid" }), label(L - 4, T + 8, String(most), "end")];
    bars.forEach(function (bar, i) {
      var height = (H - B - T) * bar[1] / most;
      var drawn = Math.max(2, Math.min(48, width - 4));
      var rect = svg("rect", { x: L + i * width + (width - drawn) / 2, y: H - B - height, width: drawn, height: height, "class": "bar-fill" });
      rect.appendChild(svg("title", {}, [document.createTextNode(ctx.text(TEXT, "lessons", { n: bar[0] }) + " : " + bar[1])]));
      children.push(rect, label(L + i * width + width / 2, H - 6, String(bar[0]), "middle"));
    });
    return svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": ctx.text(TEXT, "spread"), "class": "chart spread" }, children);
  }

  function legend(ctx) {
    return ctx.el("p", { "class": "legend small" }, [
      ctx.el("span", { "class": "key planned", text: ctx.text(TEXT, "planned") }),
      ctx.el("span", { "class": "key done", text: ctx.text(TEXT, "done") })
    ]);
  }

  function render(panel, ctx) {
    var klass = C.chosen(ctx.me);
    panel.replaceChildren(C.picker(ctx, "charts"));
    return ctx.api("class/" + klass.id + "/charts").then(function (data) {
      if (!data.planned_by_day.length && !data.done_by_day.length) {
        panel.appendChild(ctx.el("p", { "class": "muted", text: ctx.text(TEXT, "nothing") }));
      } else {
        panel.appendChild(ctx.el("h2", { text: ctx.text(TEXT, "pace") }));
        panel.appendChild(paceChart(ctx, data));
        panel.appendChild(legend(ctx));
      }
      if (data.members) {
        panel.appendChild(ctx.el("h2", { text: ctx.text(TEXT, "spread") }));
        panel.appendChild(spreadChart(ctx, data));
      }
      if (data.hardest.length) {
        panel.appendChild(ctx.el("h2", { text: ctx.text(TEXT, "hardest") }));
        panel.appendChild(ctx.el("ol", { "class": "cards" }, data.hardest.map(function (q) {
          var bar = ctx.el("div", { "class": "bar" }, [ctx.el("span")]);
          bar.firstChild.style.width = q.percent_correct + "%";
          return ctx.el("li", { "class": "card" }, [
            ctx.el("div", { text: q.question }), bar,
            ctx.el("div", { "class": "muted small", text: ctx.text(TEXT, "correct", { p: Math.round(q.percent_correct), n: q.answered }) }),
            q.top_wrong ? ctx.el("div", { "class": "muted small", text: ctx.text(TEXT, "wrong", { text: q.top_wrong }) }) : null
          ]);
        })));
      }
    });
  }

  window.TutorApp.tab({ id: "charts", order: 40, label: { fr: TEXT.fr.tab, en: TEXT.en.tab }, visible: C.visible, render: render });
})();
