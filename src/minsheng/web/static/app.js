/* minsheng: the few charts of the pages (ECharts, vendored). No build step, no CDN. */
(function () {
  "use strict";
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }
  function chart(id) {
    var el = document.getElementById(id);
    var c = echarts.init(el, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }
  var COLORS = { achieved: "#2e7d32", on_track: "#1565c0", lagging: "#f9a825", regressing: "#c62828", no_data: "#9e9e9e", undetermined: "#bdbdbd", not_assessable: "#757575" };

  function seriesChart(id, dataId) {
    var d = data(dataId), c = chart(id);
    var latest = {}, older = [];
    d.observed.forEach(function (o) {
      if (!latest[o.year] || latest[o.year].version < o.version) {
        if (latest[o.year]) older.push(latest[o.year]);
        latest[o.year] = o;
      } else { older.push(o); }
    });
    // a withdrawn value is no value: neither the withdrawal nor what it took back is plotted
    older = older.filter(function (o) { return !o.withdrawn && !latest[o.year].withdrawn; });
    var obs = Object.keys(latest).sort().filter(function (y) { return !latest[y].withdrawn; }).map(function (y) { return [Number(y), latest[y].value, latest[y].version]; });
    var pts = function (list) { return list.map(function (p) { return [p.year, p.value]; }); };
    c.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "value", min: "dataMin", max: "dataMax", minInterval: 1, axisLabel: { formatter: function (v) { return String(v); } } },
      yAxis: { type: "value", scale: true, name: d.unit || "" },
      series: [
        { name: d.labels.trajectory, type: "line", data: pts(d.trajectory), lineStyle: { type: "dashed" }, symbol: "none", color: "#555" },
        { name: d.labels.projection, type: "line", data: pts(d.projections), lineStyle: { type: "dotted", width: 2 }, color: "#b26a00" },
        { name: d.labels.required, type: "line", data: pts(d.required), lineStyle: { type: "dotted", width: 2 }, color: "#2e7d32" },
        { name: d.labels.observed, type: "line", data: obs, symbolSize: 9, color: "#0b5cad" }
      ].concat(older.length ? [  // superseded versions, only where a value was corrected
        { name: d.labels.older, type: "scatter", data: older.map(function (o) { return [o.year, o.value]; }), symbol: "emptyCircle", color: "#0b5cad" }
      ] : [])
    });
  }

  function choropleth(id, dataId) {
    var d = data(dataId), c = chart(id);
    c.showLoading();
    fetch(d.boundaries).then(function (r) { return r.json(); }).then(function (geo) {
      var names = {};
      geo.features.forEach(function (f) {
        f.properties.code = String(f.id || f.properties.id || "");
        names[f.properties.code] = f.properties.name;
      });
      echarts.registerMap("area", geo);
      var items = d.items.filter(function (i) { return names[i.code] !== undefined; });
      var values = items.map(function (i) { return i.value; }).filter(function (v) { return v !== null; });
      var byCode = {}; d.items.forEach(function (i) { byCode[i.code] = i; });
      var byStatus = d.show === "status";
      var order = ["achieved", "on_track", "lagging", "regressing", "no_data", "undetermined", "not_assessable"];
      var statusMap = { type: "piecewise", left: 10, bottom: 10, dimension: 0,
        pieces: order.map(function (s, k) { return { value: k, label: d.statusLabels[s], color: COLORS[s] }; }) };
      c.hideLoading();
      c.setOption({
        animation: false,
        tooltip: { trigger: "item", formatter: function (p) {
          var i = byCode[p.name]; var n = names[p.name] || p.name;
          if (!i) return n + "：" + d.noData;
          return n + "：" + (i.value === null ? "—" : i.value + (d.unit || "")) + (i.status_label ? "（" + i.status_label + "）" : "");
        } },
        visualMap: byStatus ? statusMap : values.length ? { min: Math.min.apply(null, values), max: Math.max.apply(null, values), calculable: true, left: 10, bottom: 10, text: ["", d.unit || ""], inRange: { color: ["#e3eef9", "#0b3d75"] } } : undefined,
        series: [{ type: "map", map: "area", nameProperty: "code", roam: true, itemStyle: { areaColor: "#eeeeee", borderColor: "#666" },
          emphasis: { label: { show: false }, itemStyle: { areaColor: "#f2b600" } },
          data: items.map(function (i) { return { name: i.code, value: byStatus ? order.indexOf(i.status) : i.value }; }) }]
      });
    });
  }

  function spreadChart(id, dataId) {
    var d = data(dataId), c = chart(id);
    var years = d.rows.map(function (r) { return r.year; });
    var line = function (key) { return { name: d.labels[key], type: "line", data: d.rows.map(function (r) { return r[key]; }) }; };
    c.setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "category", data: years }, yAxis: { type: "value", scale: true },
      series: [line("gini"), line("theil_t"), line("cv")]
    });
  }
  // another plan has other indicator ids: once the plan changes, the indicator list (of the old
  // plan) is left out of the query, and the new plan's page opens at its first indicator
  function planPicksIndicators(planId, indicatorId) {
    var plan = document.getElementById(planId), indicator = document.getElementById(indicatorId);
    if (!plan || !indicator) return;
    var shown = plan.value;
    plan.addEventListener("change", function () { indicator.disabled = plan.value !== shown; });
  }
  window.minsheng = { seriesChart: seriesChart, choropleth: choropleth, spreadChart: spreadChart, planPicksIndicators: planPicksIndicators, COLORS: COLORS };
})();
