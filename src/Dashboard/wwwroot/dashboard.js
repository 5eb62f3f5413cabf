// RaftMq dashboard: periodic refresh of server-rendered fragments and the cockpit's live charts.
// Intervals come from the server (data attributes) so the documented poll bounds hold whatever page is open.
(function () {
  "use strict";

  // Elements with data-refresh-url get their content replaced by that fragment every data-refresh-ms.
  document.querySelectorAll("[data-refresh-url]").forEach(function (el) {
    var ms = Math.max(1000, parseInt(el.getAttribute("data-refresh-ms"), 10) || 5000);
    var busy = false;
    setInterval(function () {
      if (busy || document.hidden) return;
      busy = true;
      fetch(el.getAttribute("data-refresh-url"), { headers: { "Accept": "text/html" } })
        .then(function (r) { return r.text(); })
        .then(function (html) { el.innerHTML = html; el.setAttribute("data-refreshed", String(Date.now())); })
        .catch(function () { el.setAttribute("data-refresh-failed", String(Date.now())); })
        .finally(function () { busy = false; });
    }, ms);
  });

  var cockpit = document.getElementById("cockpit");
  if (!cockpit || typeof uPlot === "undefined") return;
  var palette = ["#1f6feb", "#1a7f37", "#cf222e", "#8250df", "#b26b00", "#0a7ea4", "#bf3989", "#57606a"];
  var charts = {};

  function draw(id, times, series) {
    var el = document.getElementById(id);
    if (!el) return;
    var names = Object.keys(series).sort();
    var data = [times].concat(names.map(function (n) { return series[n]; }));
    var total = 0;
    names.forEach(function (n) { var v = series[n][series[n].length - 1]; if (v) total += v; });
    el.setAttribute("data-series", String(names.length));
    el.setAttribute("data-points", String(times.length));
    el.setAttribute("data-latest-total", total.toFixed(1));
    var key = id + "|" + names.join(",");
    var width = Math.max(320, el.clientWidth);
    if (charts[id] && charts[id].key === key) { charts[id].plot.setData(data); return; }
    if (charts[id]) charts[id].plot.destroy();
    el.innerHTML = "";
    if (names.length === 0) { el.innerHTML = "<p class=\"muted\">no series yet</p>"; charts[id] = null; return; }
    var opts = {
      width: width, height: 220,
      scales: { y: { range: function (u, min, max) { return [0, Math.max(1, max * 1.15)]; } } },
      axes: [{}, { label: "msg/s", size: 56 }],
      series: [{}].concat(names.map(function (n, i) {
        return { label: n, stroke: palette[i % palette.length], width: 2, points: { show: false },
                 value: function (u, v) { return v == null ? "-" : v.toFixed(1); } };
      }))
    };
    charts[id] = { key: key, plot: new uPlot(opts, data, el) };
  }

  function pick(samples, field, name) {
    return samples.map(function (s) { return s.reachable && s[field][name] != null ? s[field][name] : null; });
  }

  function seriesOf(samples, field) {
    var names = {};
    samples.forEach(function (s) { Object.keys(s[field] || {}).forEach(function (n) { names[n] = true; }); });
    var out = {};
    Object.keys(names).forEach(function (n) { out[n] = pick(samples, field, n); });
    return out;
  }

  function refresh() {
    fetch("/api/activity").then(function (r) { return r.json(); }).then(function (a) {
      var times = a.samples.map(function (s) { return s.at; });
      draw("chart-group-put", times, seriesOf(a.samples, "groupPut"));
      draw("chart-group-get", times, seriesOf(a.samples, "groupGet"));
      draw("chart-topic-put", times, seriesOf(a.samples, "topicPut"));
      draw("chart-topic-get", times, seriesOf(a.samples, "topicGet"));
      draw("chart-consumer", times, seriesOf(a.samples, "consumer"));
      var status = document.getElementById("cockpit-status");
      var last = a.samples[a.samples.length - 1];
      if (status) status.textContent = last ? (last.reachable ? "live · updated " + new Date(last.at * 1000).toISOString().substring(11, 19) + " UTC" : "cluster not reachable") : "waiting for the first sample";
      if (status) status.className = last && !last.reachable ? "badge badge-bad" : "badge badge-ok";
    }).catch(function () {});
  }

  refresh();
  setInterval(function () { if (!document.hidden) refresh(); }, Math.max(1000, parseInt(cockpit.getAttribute("data-interval-ms"), 10) || 5000));
})();
