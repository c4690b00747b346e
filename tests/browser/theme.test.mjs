// The page frame in a real browser: styles load under the base path, the colour toggle works
// and is remembered, the skip link reaches the content.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copySite, buildSite, serveStatic, launch } from "./lib.mjs";

let server, browser;

before(async () => {
  const root = copySite("sites/basic");
  const out = buildSite(root, "/course/");
  server = await serveStatic(out, "/course/");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("the stylesheet loads under the base path", async () => {
  const page = await browser.newPage();
  await page.goto(server.url("essays/alpha/"));
  const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.match(font, /serif/);
  assert.ok(server.log.some((r) => r.path === "/course/style.css" && r.status === 200));
  await page.close();
});

test("the colour toggle switches to dark and is remembered", async () => {
  const context = await browser.newContext({ colorScheme: "light" });
  const page = await context.newPage();
  await page.goto(server.url("essays/alpha/"));
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.click("[data-theme-toggle]");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  assert.notEqual(await bg(), light);
  await page.goto(server.url("glossary/"));
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  await context.close();
});

test("the skip link is the first stop and moves focus to the content", async () => {
  const page = await browser.newPage();
  await page.goto(server.url("essays/alpha/"));
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), "Skip to content");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => location.hash), "#main");
  await page.close();
});

test("a page prints black on white whatever theme the screen shows", async () => {
  for (const [scheme, toggle] of [["dark", false], ["light", true], ["light", false]]) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(server.url("sessions/1/"));
    if (toggle) await page.click("[data-theme-toggle]");
    await page.emulateMedia({ media: "print" });
    const colours = await page.evaluate(() => {
      const of = (el) => getComputedStyle(el);
      return {
        text: of(document.body).color,
        background: of(document.body).backgroundColor,
        heading: of(document.querySelector("h1")).color,
      };
    });
    assert.deepEqual(
      colours,
      { text: "rgb(0, 0, 0)", background: "rgb(255, 255, 255)", heading: "rgb(0, 0, 0)" },
      `${scheme}${toggle ? ", toggled" : ""}`,
    );
    await context.close();
  }
});

test("on a phone the header takes two rows, with search one tap away", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(server.url("sessions/1/"));
  const height = await page.evaluate(() => document.querySelector(".site-header").getBoundingClientRect().height);
  assert.ok(height < 120, `the header is ${height}px tall`);
  assert.equal(await page.isVisible(".site-search"), false);
  const link = page.getByRole("link", { name: "Search", exact: true }).first();
  assert.ok(await link.isVisible());
  await link.click();
  await page.waitForURL(/\/course\/search\/$/);
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-page-input");
  await context.close();
});
