// `lectern serve` in a real browser: a save changes the open page (keeping its scroll position),
// a stylesheet change applies without a reload, and an error shows over the page until fixed.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { copySite, lecternBin, launch } from "./lib.mjs";

let server, browser, root, base;

before(async () => {
  root = copySite("sites/basic");
  // A long essay, so that there is somewhere to scroll to.
  const alpha = join(root, "content/essays/alpha.md");
  writeFileSync(alpha, readFileSync(alpha, "utf8") + "\n" + "A paragraph of padding text.\n\n".repeat(120));
  server = spawn(lecternBin(), ["serve", "--port", "0", "--root", root], { stdio: ["ignore", "ignore", "pipe"] });
  base = await new Promise((ok, fail) => {
    let text = "";
    server.stderr.on("data", (chunk) => {
      text += chunk;
      const m = text.match(/ at (http:\/\/\S+)/);
      if (m) ok(m[1]);
    });
    server.on("exit", () => fail(new Error(`serve exited:\n${text}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

function edit(rel, change) {
  const path = join(root, rel);
  writeFileSync(path, change(readFileSync(path, "utf8")));
}

test("saving a file reloads the open page and keeps its scroll position", async () => {
  const page = await browser.newPage();
  await page.goto(base + "essays/alpha/");
  await page.waitForFunction(() => document.querySelector('script[src*="__lectern/live.js"]'));
  await page.waitForTimeout(300); // the event stream connects
  await page.evaluate(() => window.scrollTo(0, 1500));
  const started = Date.now();
  edit("content/essays/alpha.md", (t) => t.replace("Trust is where we begin.", "Trust is where we begin, SAVED."));
  await page.waitForFunction(() => document.body.textContent.includes("SAVED"), null, { timeout: 10000 });
  const elapsed = Date.now() - started;
  console.log(`save → page reloaded: ${elapsed} ms`);
  await page.waitForFunction(() => window.scrollY > 1000, null, { timeout: 5000 });
  assert.ok((await page.evaluate(() => window.scrollY)) > 1000, "scroll position kept");
  // The new content is live: its term links are prepared for cards like the first ones were.
  assert.equal(await page.evaluate(() => document.querySelectorAll("main a.term-link[title]").length), 0);
  assert.ok(await page.evaluate(() => document.querySelectorAll("main a.term-link[data-term-summary]").length) > 0);
  await page.close();
});

test("a change outside <main> (the site title) reloads the whole page", async () => {
  const page = await browser.newPage();
  await page.goto(base + "essays/alpha/");
  await page.waitForTimeout(300);
  edit("site.toml", (t) => t.replace('title = "Fixture Course"', 'title = "Renamed Course"'));
  await page.waitForFunction(() => document.querySelector(".site-title").textContent.includes("Renamed"), null, { timeout: 10000 });
  edit("site.toml", (t) => t.replace('title = "Renamed Course"', 'title = "Fixture Course"'));
  await page.close();
});

test("a stylesheet change applies without reloading the page", async () => {
  const page = await browser.newPage();
  await page.goto(base + "essays/alpha/");
  await page.waitForTimeout(300);
  await page.evaluate(() => (window.__notReloaded = true));
  writeFileSync(join(root, "static/style.css"), readFileSync(join(repoTheme(), "style.css"), "utf8") + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n");
  await page.waitForFunction(() => getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)", null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.__notReloaded), true);
  rmSync(join(root, "static/style.css"));
  await page.close();
});

test("an error shows over the page, and fixing it clears it", async () => {
  const page = await browser.newPage();
  await page.goto(base + "essays/alpha/");
  await page.waitForTimeout(300);
  edit("content/essays/alpha.md", (t) => t.replace("Trust is where we begin", "See [[no-such-page]]. Trust is where we begin"));
  const overlay = page.locator("#lectern-error-overlay");
  await overlay.waitFor({ timeout: 10000 });
  const text = await overlay.textContent();
  assert.match(text, /content\/essays\/alpha\.md:\d+:\d+: error: link to `no-such-page`/);
  assert.ok(await page.locator("h1").first().isVisible(), "the last good page is still there underneath");
  edit("content/essays/alpha.md", (t) => t.replace("See [[no-such-page]]. ", ""));
  await overlay.waitFor({ state: "detached", timeout: 10000 });
  await page.close();
});

function repoTheme() {
  return join(import.meta.dirname, "../../themes/default/static");
}
