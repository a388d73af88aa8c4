// Library targets page: total investment vs the campaign target per 市州 (data: #region-data).
(function () {
  var rows = JSON.parse(document.getElementById("region-data").textContent);
  var chart = qhCharts.init(document.getElementById("region-chart"));
  chart.setOption({
    tooltip: { renderMode: "richText", trigger: "axis"},
    legend: {data: [gettext("总投资"), gettext("谋划目标")]},
    grid: {left: 10, right: 10, top: 50, bottom: 10, containLabel: true},
    xAxis: {type: "category", data: rows.map(function (r) { return r.label; }), axisLabel: {interval: 0, width: 80, overflow: "break"}},
    yAxis: {type: "value", name: gettext("亿元")},
    series: [
      {name: gettext("总投资"), type: "bar", data: rows.map(function (r) { return Number(r.total_investment); }), itemStyle: {color: "#0b4f8a"}, label: qhCharts.barLabel("top")},
      {name: gettext("谋划目标"), type: "bar", data: rows.map(function (r) { return r.target === null ? null : Number(r.target); }), itemStyle: {color: "#d0d7e1"}, label: Object.assign(qhCharts.barLabel("top"), {color: "#6c757d"})}
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
