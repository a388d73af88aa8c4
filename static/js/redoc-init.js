// Starts ReDoc on the API docs page (drf-spectacular's inline start-up script, as a file).
(function () {
  const el = document.getElementById("redoc-container");
  Redoc.init(el.dataset.schemaUrl, JSON.parse(el.dataset.settings || "{}"), el);
})();
