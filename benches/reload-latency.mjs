// Measures save → page reloaded in a real browser with `lectern serve`: edits one essay of a
// site N times and reports the time until the open tab shows the new text.
//
//   node benches/reload-latency.mjs SITE_DIR ESSAY_PATH [runs]
//   e.g. node benches/reload-latency.mjs /tmp/corpus-1k content/essays/essay-7.md
//
// Uses target/release/lectern (or $LECTERN_BIN) and playwright-core from tests/browser.

import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";

const repo = resolve(import.meta.dirname, "..");
const require = createRequire(join(repo, "tests/browser/package.json"));
const { chromium } = require("playwright-core");

const [site, essay, runsArg] = process.argv.slice(2);
if (!site || !essay) {
  console.error("usage: node benches/reload-latency.mjs SITE_DIR ESSAY_PATH [runs]");
  process.exit(2);
}
const runs = Number(runsArg || 7);
const bin = process.env.LECTERN_BIN || join(repo, "target/release/lectern");
const server = spawn(bin, ["serve", "--port", "0", "--root", site], { stdio: ["ignore", "ignore", "pipe"] });
let log = "";
const base = await new Promise((ok, fail) => {
  server.stderr.on("data", (chunk) => {
    log += chunk;
    const m = log.match(/ at (http:\/\/\S+)/);
    if (m) ok(m[1]);
  });
  server.on("exit", () => fail(new Error(log)));
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const page = await browser.newPage();
const slug = essay.replace(/^content\/essays\//, "").replace(/\.md$/, "");
await page.goto(`${base}essays/${slug}/`);
await page.waitForTimeout(500);
const file = join(site, essay);
const original = readFileSync(file, "utf8");
const times = [];
for (let i = 0; i < runs; i++) {
  const marker = `reload-marker-${Date.now()}-${i}`;
  const started = performance.now();
  writeFileSync(file, `${original}\n\n${marker}\n`);
  await page.waitForFunction((m) => document.body && document.body.textContent.includes(m), marker, { timeout: 60000, polling: 5 });
  times.push(performance.now() - started);
  await page.waitForTimeout(300);
}
writeFileSync(file, original);
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`${site}: save → reloaded, median ${median.toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)}) over ${runs} saves`);
const rebuilds = log.split("\n").filter((l) => l.startsWith("rebuilt in")).slice(-runs);
console.log(rebuilds.join("\n"));
await browser.close();
server.kill();
