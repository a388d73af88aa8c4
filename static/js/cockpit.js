// Draws the cockpit's charts from the JSON the page embeds; every item links to its list.
// Tooltips draw in the canvas (renderMode "richText"): HTML tooltips carry style attributes,
// which the Content-Security-Policy refuses.
(function () {
  const data = JSON.parse(document.getElementById("charts-data").textContent);
  const pct = (v) => (v == null ? "—" : (v * 100).toFixed(1) + "%");
  const drill = (chart) => chart.on("click", (p) => { if (p.data && p.data.url) window.location.href = p.data.url; });
  const make = (id) => { const el = document.getElementById(id); return el ? qhCharts.init(el) : null; };
  const charts = [];

  function targetBars(id, rows) {
    const chart = make(id); if (!chart) return;
    chart.setOption({
      tooltip: { renderMode: "richText", trigger: "axis" },
      legend: { data: [gettext("入库总投资"), gettext("目标")] },
      // containLabel: the 14 px labels size the margins; every 市州/sector name is shown,
      // wrapped under its bars when the names are long (English).
      grid: { left: 10, right: 10, bottom: 10, top: 50, containLabel: true },
      xAxis: { type: "category", data: rows.map((r) => r.label), axisLabel: { interval: 0, width: 80, overflow: "break" } },
      yAxis: { type: "value", name: gettext("亿元") },
      series: [
        { name: gettext("入库总投资"), type: "bar", label: qhCharts.barLabel("top"), data: rows.map((r) => ({ value: r.value, url: r.url })), itemStyle: { color: "#0b4f8a" } },
        { name: gettext("目标"), type: "bar", label: { ...qhCharts.barLabel("top"), color: "#6c757d" }, data: rows.map((r) => ({ value: r.target, url: r.url })), itemStyle: { color: "#c8d6e5" } },
      ],
    });
    drill(chart); charts.push(chart);
  }
  targetBars("chart-region", data.region);
  targetBars("chart-sector", data.sector);

  // Stages in life-cycle order as bars: a funnel shape misleads when counts are not monotonic.
  const funnel = make("chart-funnel");
  if (funnel) {
    const rows = data.funnel.slice().reverse();
    funnel.setOption({
      tooltip: { renderMode: "richText", trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 10, right: 50, bottom: 10, top: 10, containLabel: true },
      xAxis: { type: "value", name: gettext("个") },
      yAxis: { type: "category", data: rows.map((r) => r.name) },
      series: [{ type: "bar", label: qhCharts.barLabel("right", String), itemStyle: { color: "#0b4f8a" },
        data: rows.map((r) => ({ value: r.value, url: r.url })) }],
    });
    drill(funnel); charts.push(funnel);
  }

  const trend = make("chart-trend");
  if (trend && data.trend.length) {
    const last = data.targets.length ? data.targets[data.targets.length - 1] : null;
    const line = (name, key, color) => ({
      name, type: "line", smooth: true, data: data.trend.map((r) => r[key]), itemStyle: { color },
      markLine: last ? { symbol: "none", lineStyle: { type: "dashed", color }, label: { formatter: name + gettext("目标 ") + pct(last[key]) }, data: [{ yAxis: last[key] }] } : undefined,
    });
    trend.setOption({
      tooltip: { renderMode: "richText", trigger: "axis", valueFormatter: pct },
      legend: { data: [gettext("履约率"), gettext("开工率"), gettext("资金到位率")] },
      grid: { left: 10, right: 110, bottom: 10, top: 50, containLabel: true },
      xAxis: { type: "category", data: data.trend.map((r) => r.period) },
      yAxis: { type: "value", min: 0, max: 1, axisLabel: { formatter: (v) => v * 100 + "%" } },
      series: [line(gettext("履约率"), "fulfillment", "#198754"), line(gettext("开工率"), "start", "#0d6efd"), line(gettext("资金到位率"), "funding", "#fd7e14")],
    });
    charts.push(trend);
  }

  const lights = make("chart-indicators");
  if (lights) {
    const statuses = [["met", gettext("达标"), "#198754"], ["on_track", gettext("正常"), "#0d6efd"], ["behind", gettext("滞后"), "#dc3545"], ["no_data", gettext("无数据"), "#adb5bd"]];
    lights.setOption({
      tooltip: { renderMode: "richText", trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: statuses.map((s) => s[1]) },
      grid: { left: 10, right: 20, bottom: 10, top: 40, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: data.indicators.map((r) => r.label) },
      series: statuses.map(([key, name, color]) => ({ name, type: "bar", stack: "s", itemStyle: { color },
        label: { ...qhCharts.barLabel("inside", String), color: "#fff" }, data: data.indicators.map((r) => r[key] || null) })),
    });
    charts.push(lights);
  }
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
