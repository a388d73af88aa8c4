// Copies the front-end files the templates use from node_modules into static/vendor/,
// so the app serves them itself (government intranets have no CDN access).
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const out = path.join(root, "static", "vendor");
const files = {
  "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
  "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
  "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons/bootstrap-icons.min.css",
  "bootstrap-icons/font/fonts/bootstrap-icons.woff2": "bootstrap-icons/fonts/bootstrap-icons.woff2",
  "bootstrap-icons/font/fonts/bootstrap-icons.woff": "bootstrap-icons/fonts/bootstrap-icons.woff",
  "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
  "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
};
for (const [src, dst] of Object.entries(files)) {
  const from = path.join(root, "node_modules", src);
  const to = path.join(out, dst);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}
console.log(`vendored ${Object.keys(files).length} files into static/vendor/`);
