// Behaviour every page shares, bound from data attributes (the Content-Security-Policy allows
// no inline scripts or on…= handlers):
//   <select data-autosubmit>   submits its form when changed
//   <button data-expand>       shows the clamped text before it in full, then goes away
//   <div data-height="240">    a chart box's height in pixels, set before the chart draws
//   <button data-confirm="…">  asks the question first; the form is sent only on OK
(function () {
  document.addEventListener("click", function (event) {
    const el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("change", function (event) {
    const el = event.target.closest("[data-autosubmit]");
    if (el && el.form) el.form.submit();
  });
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-expand]");
    if (!button) return;
    const text = button.previousElementSibling;
    if (text) text.classList.remove("clamped");
    button.remove();
  });
  function sizeCharts(root) {
    root.querySelectorAll("[data-height]").forEach(function (el) {
      el.style.height = parseInt(el.dataset.height, 10) + "px";
    });
  }
  sizeCharts(document);
  document.addEventListener("htmx:afterSwap", function (event) { sizeCharts(event.target); });
})();
