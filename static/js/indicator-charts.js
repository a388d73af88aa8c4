// Indicator detail page: one line chart per measure with its target (data: #indicator-charts).
(function () {
  const charts = JSON.parse(document.getElementById("indicator-charts").textContent);
  charts.forEach(function (c) {
    const el = document.getElementById(c.id);
    if (!el) return;
    const chart = qhCharts.init(el);
    const series = [{ name: gettext("监测值"), type: "line", data: c.values, connectNulls: true, symbolSize: 8, label: { show: true, position: "top", fontSize: qhCharts.FONT } }];
    if (c.target !== null) {
      series.push({ name: gettext("目标值"), type: "line", color: "#d63384", data: c.years.map(function () { return null; }),
        markLine: { symbol: "none", lineStyle: { type: "dashed", color: "#d63384" },
          label: { formatter: gettext("目标 ") + c.target }, data: [{ yAxis: c.target }] } });
    }
    chart.setOption({
      tooltip: { renderMode: "richText", trigger: "axis" },
      legend: { data: [gettext("监测值"), gettext("目标值")], top: 0 },
      grid: { left: 10, right: 80, top: 40, bottom: 10, containLabel: true },
      xAxis: { type: "category", data: c.years },
      yAxis: { type: "value", name: c.unit, scale: true,
               max: function (v) { return c.target !== null ? Math.max(v.max, c.target) : v.max; },
               min: function (v) { return c.target !== null ? Math.min(v.min, c.target) : v.min; } },
      series: series,
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
