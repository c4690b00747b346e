// The search page in a real browser, on a small course made for search
// (tests/fixtures/sites/search) and on the showcase: a query sent or linked is taken as written,
// a filter that leaves nothing says so and offers the other kinds, a term named with stop words
// or a hyphen is found, and excerpts mark only the words that matched.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copySite, buildSite, serveStatic, launch } from "./lib.mjs";

let course, showcase, browser;

before(async () => {
  course = await serveStatic(buildSite(copySite("sites/search"), "/course/"), "/course/");
  showcase = await serveStatic(buildSite(copySite(null), "/trust-guide/"), "/trust-guide/");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await course?.close();
  await showcase?.close();
});

/** Opens the search page at `query` (a query string) and waits for its summary. */
async function open(page, site, query) {
  await page.goto(site.url(`search/?${query}`));
  await page.waitForFunction(() => (document.querySelector(".search-summary")?.textContent || "") !== "");
  return {
    summary: await page.textContent(".search-summary"),
    titles: await page.$$eval(".search-result .search-title", (els) => els.map((e) => e.textContent)),
    card: await page.$eval(".search-card-page .search-title", (e) => e.textContent).catch(() => null),
  };
}

test("a linked query is taken as written: ?q=trust ranks the trust pages, not the trustworthiness ones", async () => {
  const page = await browser.newPage();
  const linked = await open(page, course, "q=trust");
  assert.equal(linked.card, "Trust");
  assert.equal(linked.titles[0], "Trust and its limits");
  assert.ok(!linked.titles.includes("Earning trustworthiness"), linked.titles.join(" | "));
  // The same from the header box: typed, then sent with Enter.
  await page.goto(course.url());
  await page.locator("#site-search-input").pressSequentially("trust", { delay: 20 });
  await Promise.all([page.waitForURL(/\/search\/\?q=trust$/), page.keyboard.press("Enter")]);
  await page.waitForSelector(".search-result");
  assert.deepEqual(await page.$$eval(".search-result .search-title", (els) => els.map((e) => e.textContent)), linked.titles);
  await page.close();
});

test("a kind filter that leaves nothing says so and offers every kind, when another kind has every word", async () => {
  const page = await browser.newPage();
  const { summary, titles } = await open(page, course, "q=positive%20regard&kind=essay");
  assert.equal(summary, "No essays for “positive regard”");
  assert.deepEqual(titles, []);
  const all = page.locator(".search-page-results .search-more");
  assert.equal(await all.textContent(), "Show all kinds: 1 result");
  await all.click();
  await page.waitForSelector(".search-card-page");
  assert.equal(await page.textContent(".search-card-page .search-title"), "Acceptance");
  await page.close();
});

test("a term named with stop words, and one with a hyphen, show their definitions", async () => {
  const page = await browser.newPage();
  assert.equal((await open(page, course, "q=up%20to%20us")).card, "Up to us");
  const wellBeing = await open(page, showcase, "q=well-being");
  assert.equal(wellBeing.card, "Well-being");
  assert.ok(wellBeing.titles.length >= 15, wellBeing.titles.join(" | "));
  await page.close();
});

test("excerpts mark the words that matched, not longer words that begin the same", async () => {
  const page = await browser.newPage();
  await open(page, showcase, "q=therapy");
  const marks = await page.$$eval(".search-excerpt mark", (els) => els.map((e) => e.textContent.toLowerCase()));
  assert.ok(marks.length > 3, marks.join(" "));
  for (const m of marks) assert.match(m, /^therap(y|ies)(['’]s)?$/);
  await page.close();
});
