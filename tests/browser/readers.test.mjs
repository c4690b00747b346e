// What readers expect of the showcase course in a real browser: essays' headings link to
// themselves (shown on hover and focus, named once for screen readers), essays and questions can
// be marked read or prepared with each session's progress on the home page (kept in the browser,
// harmless without storage or scripts, absent from print), and with `offline = true` a visited
// page, the home page and search still work with the network gone; a new build replaces the
// kept pages, and turning `offline` off removes the worker.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { copySite, buildSite, serveStatic, launch } from "./lib.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const BASE = "/trust-guide/";
const ESSAY = "essays/trust-as-joint-commitment/";
const QUESTION = "questions/reliance-in-everyday-life/";

let root, out, server, browser;

before(async () => {
  root = copySite(null);
  out = buildSite(root, BASE);
  server = await serveStatic(out, BASE);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Polls `check` until it is true (or fails after `ms`). */
async function until(check, what, ms = 10000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test("an essay's headings link to themselves, shown on hover and on focus", async () => {
  const context = await browser.newContext({ reducedMotion: "reduce" });
  const page = await context.newPage();
  try {
    await page.goto(server.url(ESSAY));
    const sections = await page.locator("main .prose :is(h2, h3, h4)").count();
    assert.ok(sections > 1);
    const links = page.getByRole("link", { name: "Link to this section", exact: true });
    assert.equal(await links.count(), sections, "one link per section");
    // The heading's name is its text alone: the link beside it is not read as part of it.
    const wrapper = page.locator(".heading-anchored").nth(1);
    const heading = wrapper.locator("h2");
    const text = (await heading.textContent()).trim();
    assert.equal(await page.getByRole("heading", { name: text, exact: true }).count(), 1);
    assert.equal(await page.locator(".toc a", { hasText: "#" }).count(), 0, "the contents list no glyph");

    const anchor = wrapper.locator(".heading-anchor");
    const opacity = () => anchor.evaluate((a) => getComputedStyle(a).opacity);
    assert.equal(await opacity(), "0", "hidden until wanted");
    await heading.hover();
    assert.equal(await opacity(), "1", "shown while the heading is hovered");
    await page.mouse.move(0, 0);
    assert.equal(await opacity(), "0");

    // By keyboard: Tab reaches the first heading's link, which shows with a focus ring.
    await page.locator("main").focus();
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(() => document.activeElement.matches(".heading-anchor"))) break;
    }
    const focused = await page.evaluate(() => {
      const a = document.activeElement;
      const style = getComputedStyle(a);
      return { anchor: a.matches(".heading-anchor"), href: a.getAttribute("href"), opacity: style.opacity, outline: style.outlineStyle };
    });
    assert.ok(focused.anchor, "Tab reaches a heading's link");
    assert.equal(focused.opacity, "1");
    assert.notEqual(focused.outline, "none");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => location.hash), focused.href);
  } finally {
    await context.close();
  }
});

/** The text of the home page's progress line for the session that lists `essay`. */
async function sessionProgress(page, essay) {
  const item = page.locator(".syllabus-item", { has: page.locator(`a[href="${BASE}${essay}"]`) });
  const line = item.locator("[data-progress-count]");
  await line.waitFor({ state: "visible" });
  const totals = await item.evaluate((li) => [li.dataset.progressEssays, li.dataset.progressQuestions].map((l) => l.split(" ").filter(Boolean).length));
  return { text: (await line.textContent()).replace(/\s+/g, " ").trim(), totals };
}

test("a reader marks an essay read and a question prepared, and the syllabus counts them", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(server.url(ESSAY));
    const read = page.getByRole("button", { name: "Mark as read" });
    await read.waitFor({ state: "visible" });
    assert.equal(await read.getAttribute("aria-pressed"), "false");
    await read.click();
    assert.equal(await read.getAttribute("aria-pressed"), "true");
    const kept = await page.evaluate(() => JSON.parse(localStorage.getItem("lectern-progress")));
    assert.deepEqual(kept, [`${BASE}${ESSAY}`]);
    await page.reload();
    assert.equal(await read.getAttribute("aria-pressed"), "true", "remembered");
    // By keyboard.
    await read.focus();
    await page.keyboard.press("Space");
    assert.equal(await read.getAttribute("aria-pressed"), "false");
    await page.keyboard.press("Enter");
    assert.equal(await read.getAttribute("aria-pressed"), "true");

    await page.goto(server.url(QUESTION));
    const prepared = page.getByRole("button", { name: "Mark as prepared" });
    await prepared.click();
    assert.equal(await prepared.getAttribute("aria-pressed"), "true");

    await page.goto(server.url(""));
    const { text, totals } = await sessionProgress(page, ESSAY);
    assert.equal(text, `Your progress 1 of ${totals[0]} readings, 1 of ${totals[1]} questions`);
    const untouched = await page.locator("[data-progress-count]").first().textContent();
    assert.match(untouched, /Your progress\s+0 of \d+ readings?, 0 of \d+ questions?/);

    // A mark made in another tab shows at once.
    const other = await context.newPage();
    await other.goto(server.url(ESSAY));
    await other.getByRole("button", { name: "Mark as read" }).click();
    await until(async () => (await sessionProgress(page, ESSAY)).text.includes(" 0 of "), "the other tab's mark");

    // Paper shows none of it.
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator("[data-progress-count]").first().evaluate((e) => getComputedStyle(e).display), "none");
    await other.emulateMedia({ media: "print" });
    for (const selector of ["[data-progress-mark]", ".heading-anchor"]) {
      assert.equal(await other.locator(selector).first().evaluate((e) => getComputedStyle(e).display), "none", selector);
    }
  } finally {
    await context.close();
  }
});

test("without storage or scripts, no progress control shows and nothing breaks", async () => {
  const blocked = await browser.newContext();
  await blocked.addInitScript(() => {
    Object.defineProperty(window, "localStorage", {
      get() {
        throw new DOMException("The storage is blocked", "SecurityError");
      },
    });
  });
  const scriptless = await browser.newContext({ javaScriptEnabled: false });
  try {
    for (const context of [blocked, scriptless]) {
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(server.url(ESSAY));
      await page.waitForLoadState("load");
      assert.ok(await page.locator("[data-progress-mark]").isHidden(), "no mark button");
      await page.goto(server.url(""));
      await page.waitForLoadState("load");
      assert.equal(await page.locator("[data-progress-count]:visible").count(), 0, "no counts");
      assert.deepEqual(errors, []);
    }
  } finally {
    await blocked.close();
    await scriptless.close();
  }
});

/** Whether a page's URL is among the pages the worker kept. */
function kept(page, path) {
  return page.evaluate(async (url) => Boolean(await caches.match(url)), server.url(path));
}

/** The names of this site's caches. */
function cacheNames(page) {
  return page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("lectern ")));
}

test("offline, visited pages and search still work, and a new build replaces what was kept", async () => {
  const context = await browser.newContext({ reducedMotion: "reduce" });
  const page = await context.newPage();
  try {
    await page.goto(server.url(""));
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await until(() => kept(page, ""), "the home page kept");
    await page.goto(server.url(ESSAY));
    await until(() => page.evaluate(() => navigator.serviceWorker.controller !== null), "the worker in charge");
    await until(() => kept(page, ESSAY), "the essay kept");
    const title = await page.locator("h1").textContent();

    // What the worker still fetches for itself (the first page, kept again) ends first.
    let seen = -1;
    await until(async () => {
      const quiet = seen === server.log.length;
      seen = server.log.length;
      await new Promise((ok) => setTimeout(ok, 300));
      return quiet;
    }, "the server quiet");
    await context.setOffline(true);
    const requests = server.log.length;
    await page.reload();
    assert.equal(await page.locator("h1").textContent(), title, "the essay reloads offline");
    assert.ok(await page.evaluate(() => getComputedStyle(document.body).fontFamily.includes("Source Serif")), "with its styles");
    await page.click(".site-title");
    await page.waitForURL(server.url(""));
    assert.equal(await page.locator(".syllabus h2").count(), 1, "the home page, visited, opens offline");
    await page.locator("#site-search-input").pressSequentially("rupture", { delay: 20 });
    await page.waitForSelector(".search-dropdown:not([hidden]) [role=option]");
    assert.match(await page.locator(".search-dropdown").textContent(), /rupture/i, "search works offline");

    // A page never opened: a notice in the site's words, that passes axe in both schemes on
    // both screens.
    await page.goto(server.url("glossary/"));
    assert.equal(await page.locator("h1").textContent(), "Not saved for reading offline");
    await page.addScriptTag({ path: AXE });
    for (const colorScheme of ["light", "dark"]) {
      for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
        await page.emulateMedia({ colorScheme });
        await page.setViewportSize(viewport);
        const serious = await page.evaluate(async () => {
          const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];
          const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
          return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
        });
        assert.deepEqual(serious, [], `${colorScheme}, ${viewport.width}px`);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    // The browser itself may still look for a new worker (its update check is not the page's
    // request, and emulating offline does not stop it); nothing else reached the server.
    const reached = server.log.slice(requests).filter((r) => r.path !== `${BASE}sw.js`);
    assert.deepEqual(reached, [], "nothing reached the server while offline");
    await context.setOffline(false);

    // A new build: the worker is replaced, and its cache with it.
    const before = await cacheNames(page);
    assert.equal(before.length, 1);
    const essay = join(root, "content/essays/trust-as-joint-commitment.md");
    writeFileSync(essay, readFileSync(essay, "utf8").replace(/\n## /, "\nA sentence added by a new build.\n\n## "));
    buildSite(root, BASE);
    const version = /"version":"([0-9a-f]{16})"/.exec(readFileSync(join(out, "sw.js"), "utf8"))[1];
    assert.ok(!before[0].endsWith(version), "the new build names a new cache");
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await until(async () => {
      const names = await cacheNames(page);
      return names.length === 1 && names[0].endsWith(` ${version}`);
    }, "the new build's cache alone");
    await page.goto(server.url(ESSAY));
    assert.match(await page.locator("main").textContent(), /A sentence added by a new build/);

    // Turning offline off: the worker removes its caches and itself.
    const toml = join(root, "site.toml");
    writeFileSync(toml, readFileSync(toml, "utf8").replace("offline = true", "offline = false"));
    buildSite(root, BASE);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await until(async () => (await cacheNames(page)).length === 0, "the caches removed");
    await until(() => page.evaluate(async () => !(await navigator.serviceWorker.getRegistration())), "the worker unregistered");
  } finally {
    await context.close();
  }
});
