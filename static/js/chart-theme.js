// One look for every chart, readable on a projector at 1024×768 (issue 16): 14 px axis labels,
// legends, tooltips and value labels. Load after vendor/echarts and before the page's chart
// script; the page then draws with qhCharts.init(el) and labels its bars with qhCharts.barLabel().
(function () {
  if (!window.echarts) return;
  const FONT = 14;
  const axis = { axisLabel: { fontSize: FONT }, nameTextStyle: { fontSize: FONT } };
  echarts.registerTheme("qh", {
    textStyle: { fontSize: FONT },
    legend: { textStyle: { fontSize: FONT } },
    tooltip: { textStyle: { fontSize: FONT } },
    categoryAxis: axis,
    valueAxis: axis,
    bar: { label: { fontSize: FONT } },
    line: { label: { fontSize: FONT } },
  });
  // Whole numbers above 100 (亿元 totals), one decimal below; null and 0 draw no label.
  const number = (v) => (v == null || v === 0 ? "" : Math.abs(v) >= 100 ? Math.round(v).toLocaleString() : String(Math.round(v * 10) / 10));
  window.qhCharts = {
    FONT: FONT,
    init: (el) => echarts.init(el, "qh"),
    barLabel: (position, formatter) => ({
      show: true, position: position || "top", fontSize: FONT,
      formatter: (p) => (formatter || number)(Array.isArray(p.value) ? p.value[p.value.length - 1] : p.value),
    }),
  };
})();
