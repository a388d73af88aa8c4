// The library by 市州 as a choropleth of Qinghai (map "青海" is registered by the vendored
// vendor/maps/qinghai.js); every 市州 links to its filtered project list.
(function () {
  const el = document.getElementById("library-map");
  const source = document.getElementById("library-map-data");
  if (!el || !source || !window.echarts) return;
  const rows = JSON.parse(source.textContent);
  const max = Math.max(1, ...rows.map((r) => r.value || 0));
  const chart = qhCharts.init(el);
  chart.setOption({
    // Drawn in the canvas: HTML tooltips carry style attributes, which the CSP refuses.
    tooltip: {
      renderMode: "richText",
      trigger: "item",
      formatter: (p) => (p.data ? p.data.label + "\n" + interpolate(gettext("项目 %s 个\n总投资 %s 亿元"), [p.data.count, p.data.value]) : p.name),
    },
    visualMap: { min: 0, max: max, left: 10, bottom: 10, text: [gettext("高"), gettext("低")], calculable: true,
      inRange: { color: ["#e3edf7", "#0b4f8a"] } },
    series: [{
      type: "map", map: "青海", roam: false, selectedMode: false,
      label: { show: true, fontSize: 11, formatter: (p) => (p.data && p.data.label) || p.name },
      emphasis: { label: { show: true } },
      data: rows,
    }],
  });
  chart.on("click", (p) => { if (p.data && p.data.url) window.location.href = p.data.url; });
  window.addEventListener("resize", () => chart.resize());
})();
