// Draws every chart box ({% chart %}, guishu/_chart.html) with ECharts from its JSON spec,
// on load and after htmx swaps content in; resizes them with the window.
(function () {
  "use strict";

  function option(spec) {
    if (spec.kind === "pie") {
      var serie = spec.series[0] || { name: "", data: [] };
      return {
        tooltip: { trigger: "item" },
        legend: { bottom: 0, type: "scroll" },
        series: [{
          name: serie.name, type: "pie", radius: ["35%", "65%"],
          data: spec.x.map(function (label, i) { return { name: label, value: serie.data[i] }; }),
        }],
      };
    }
    var type = spec.kind === "line" ? "line" : "bar";
    return {
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 48, right: 16, top: 16, bottom: 56, containLabel: true },
      xAxis: { type: "category", data: spec.x },
      yAxis: { type: "value", minInterval: 1 },
      series: spec.series.map(function (serie) {
        var drawn = { name: serie.name, type: type, data: serie.data };
        if (spec.kind === "stacked") { drawn.stack = "total"; }
        if (type === "line") { drawn.smooth = true; }
        return drawn;
      }),
    };
  }

  function draw(root) {
    if (typeof echarts === "undefined") { return; }
    root.querySelectorAll("[data-chart]").forEach(function (box) {
      if (box.dataset.drawn) { return; }
      // The spec is in data-spec ({% chart %}), or in the element data-chart names.
      var text = box.dataset.spec;
      if (!text) {
        var source = document.getElementById(box.dataset.chart);
        text = source ? source.textContent : "";
      }
      if (!text) { return; }
      var chart = echarts.init(box, null, { renderer: "svg" });
      chart.setOption(option(JSON.parse(text)));
      box.dataset.drawn = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var chart = typeof echarts === "undefined" ? null : echarts.getInstanceByDom(box);
      if (chart) { chart.resize(); }
    });
  });
})();
