// Contract rates page: the three rates per responsible unit against their targets (#rates-data).
(function () {
  const data = JSON.parse(document.getElementById("rates-data").textContent);
  const el = document.getElementById("rates-chart");
  if (!data.units.length || !window.echarts) { el.classList.add("d-none"); return; }
  const chart = qhCharts.init(el);
  const mark = (v) => v == null ? undefined : {symbol: "none", label: {formatter: gettext("目标 {c}%")}, data: [{xAxis: v}]};
  const series = [
    {name: gettext("履约率"), key: "fulfillment"}, {name: gettext("开工率"), key: "start"}, {name: gettext("资金到位率"), key: "funding"}
  ].map(s => ({name: s.name, type: "bar", data: data[s.key], markLine: mark(data.target[s.key]),
    label: qhCharts.barLabel("right", v => v == null ? "" : v + "%")}));
  chart.setOption({
    tooltip: { renderMode: "richText", trigger: "axis", axisPointer: {type: "shadow"}, valueFormatter: v => v == null ? "—" : v + "%"},
    legend: {top: 0},
    grid: {left: 8, right: 60, top: 40, bottom: 8, containLabel: true},
    xAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%"}},
    yAxis: {type: "category", data: data.units, inverse: true},
    color: ["#0b4f8a", "#2e9e5b", "#e0a100"],
    series: series
  });
  window.addEventListener("resize", () => chart.resize());
})();
