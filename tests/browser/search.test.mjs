// Search in a real browser: the header box's dropdown as you type (misspelt words and aliases
// included), the keyboard, the /search/ page with its filters, a base path, what is fetched and
// when, and how quickly results follow keystrokes on the showcase course.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copySite, buildSite, serveStatic, launch } from "./lib.mjs";

let server, showcase, browser;

before(async () => {
  server = await serveStatic(buildSite(copySite("sites/basic"), "/course/"), "/course/");
  showcase = await serveStatic(buildSite(copySite(null), "/trust-guide/"), "/trust-guide/");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await showcase?.close();
});

const box = "#site-search-input";

/** Types `query` into the header box and waits for the dropdown to show its results. */
async function typeInHeader(page, query) {
  await page.fill(box, "");
  await page.locator(box).pressSequentially(query, { delay: 20 });
  await page.waitForFunction(
    (q) => {
      const input = document.querySelector("#site-search-input");
      const list = document.getElementById(input.getAttribute("aria-controls") || "");
      return input.value === q && list && !list.hidden && list.dataset.query === q;
    },
    query,
  );
}

/** The dropdown's options as {text, href, selected}. */
function options(page) {
  return page.$$eval('[role="listbox"] [role="option"]', (els) =>
    els.map((e) => ({
      id: e.id,
      title: e.querySelector(".search-title")?.textContent ?? e.textContent,
      kind: e.querySelector(".search-kind")?.textContent ?? "",
      href: e.getAttribute("href"),
      selected: e.getAttribute("aria-selected") === "true",
      marks: Array.from(e.querySelectorAll("mark"), (m) => m.textContent),
    })),
  );
}

test("nothing is fetched until search is used, then only under the base path", async () => {
  const page = await browser.newPage();
  const before = server.log.length;
  await page.goto(server.url("essays/alpha/"));
  await page.waitForTimeout(300);
  const searchFiles = () => server.log.slice(before).filter((r) => r.path.startsWith("/course/search/"));
  assert.deepEqual(searchFiles(), []);
  await typeInHeader(page, "reliance");
  const fetched = searchFiles();
  assert.ok(fetched.length > 0);
  assert.ok(fetched.every((r) => r.status === 200), JSON.stringify(fetched));
  // A small site's whole index is one file.
  assert.deepEqual([...new Set(fetched.map((r) => r.path))], ["/course/search/manifest.json"]);
  await page.close();
});

test("typing a term shows its definition first, then the pages that use it, highlighted", async () => {
  const page = await browser.newPage();
  await page.goto(server.url("essays/alpha/"));
  await typeInHeader(page, "reliance");
  const found = await options(page);
  assert.equal(found[0].kind, "Definition");
  assert.equal(found[0].title, "Reliance");
  assert.equal(found[0].href, "/course/glossary/reliance/");
  const titles = found.map((o) => o.title);
  assert.ok(titles.includes("Reliance") && titles.includes("Is reliance enough?"), titles.join(" | "));
  assert.ok(titles.includes("beta essay"));
  assert.ok(found.some((o) => o.marks.some((m) => /^reliance$/i.test(m))));
  assert.equal(found.at(-1).href, "/course/search/?q=reliance");
  // The count is announced politely once typing pauses.
  await page.waitForFunction(() => /results? for “reliance”/.test(document.querySelector('.site-search [role="status"]').textContent));
  await page.close();
});

test("a misspelt word and a partly typed word still find what was meant", async () => {
  const page = await browser.newPage();
  await page.goto(server.url());
  await typeInHeader(page, "relaince");
  let found = await options(page);
  assert.equal(found[0].href, "/course/glossary/reliance/");
  await typeInHeader(page, "epistemic trus");
  found = await options(page);
  assert.equal(found[0].kind, "Definition");
  assert.equal(found[0].title, "Epistemic trust");
  await page.close();
});

test("an alias finds its term", async () => {
  const page = await browser.newPage();
  await page.goto(server.url());
  await typeInHeader(page, "trusting relationship");
  const found = await options(page);
  assert.equal(found[0].kind, "Definition");
  assert.equal(found[0].title, "Trust");
  assert.equal(found[0].href, "/course/glossary/trust/");
  await page.close();
});

test("a result links to the heading where the word is", async () => {
  const page = await browser.newPage();
  await page.goto(server.url());
  await typeInHeader(page, "struck");
  const found = await options(page);
  assert.equal(found[0].href, "/course/essays/alpha/#markdown-features");
  await page.close();
});

test("keyboard: / focuses the box, arrows move, Enter opens, Escape closes", async () => {
  const page = await browser.newPage();
  await page.goto(server.url("about/"));
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "site-search-input");
  await page.keyboard.type("reliance", { delay: 20 });
  await page.waitForFunction(() => document.querySelector("#site-search-input").getAttribute("aria-expanded") === "true");
  await typeInHeader(page, "reliance");
  const input = page.locator(box);
  assert.equal(await input.getAttribute("role"), "combobox");
  const listbox = page.locator(`#${await input.getAttribute("aria-controls")}`);
  assert.equal(await listbox.getAttribute("role"), "listbox");

  await page.keyboard.press("ArrowDown");
  let found = await options(page);
  assert.equal(await input.getAttribute("aria-activedescendant"), found[0].id);
  assert.ok(found[0].selected);
  await page.keyboard.press("ArrowDown");
  found = await options(page);
  assert.equal(await input.getAttribute("aria-activedescendant"), found[1].id);
  assert.ok(found[1].selected && !found[0].selected);
  await page.keyboard.press("ArrowUp");
  assert.equal(await input.getAttribute("aria-activedescendant"), found[0].id);

  await page.keyboard.press("Escape");
  assert.equal(await input.getAttribute("aria-expanded"), "false");
  assert.equal(await input.getAttribute("aria-activedescendant"), null);

  // "/" typed inside a box is a character, not the shortcut.
  await page.keyboard.type("/");
  assert.equal(await input.inputValue(), "reliance/");
  await typeInHeader(page, "reliance");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const target = (await options(page))[1].href;
  await Promise.all([page.waitForURL((u) => u.pathname + u.hash === target), page.keyboard.press("Enter")]);
  await page.close();
});

test("Enter without a chosen result opens the search page, which reads ?q= and filters", async () => {
  const page = await browser.newPage();
  await page.goto(server.url());
  await typeInHeader(page, "reliance");
  await Promise.all([page.waitForURL(/\/course\/search\/\?q=reliance$/), page.keyboard.press("Enter")]);
  await page.waitForSelector(".search-result");
  assert.equal(await page.inputValue("#search-page-input"), "reliance");
  assert.equal(await page.textContent(".search-card-page .search-title"), "Reliance");
  const kinds = () => page.$$eval(".search-result .search-kind", (els) => els.map((e) => e.textContent));
  assert.ok(new Set((await kinds()).map((k) => k.split(" · ")[0])).size > 2, (await kinds()).join());

  await page.click('label.search-chip:has(input[value="question"])');
  await page.waitForFunction(() => location.search.includes("kind=question"));
  await page.waitForFunction(() => [...document.querySelectorAll(".search-result .search-kind")].every((e) => e.textContent.startsWith("Question")));
  assert.deepEqual(await kinds(), ["Question · critique"]);
  // The definition card belongs to "all" and "terms" only.
  assert.equal(await page.$(".search-card-page"), null);

  await page.selectOption("#search-question-kind", "opening");
  await page.waitForFunction(() => location.search.includes("qkind=opening"));
  // Nothing of that kind: the page says so, and what the other kinds hold.
  await page.waitForFunction(() => /^No opening questions for “reliance”$/.test(document.querySelector(".search-summary").textContent));
  assert.match(await page.textContent(".search-page-results .search-more"), /^Show all kinds: \d+ results$/);
  await page.selectOption("#search-question-kind", "critique");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length === 1);
  assert.deepEqual(await kinds(), ["Question · critique"]);

  // Arrow keys move from the box through the results.
  await page.focus("#search-page-input");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), "/course/questions/second/");

  // A reload keeps the query and the filters.
  await page.reload();
  await page.waitForSelector(".search-result");
  assert.deepEqual(await kinds(), ["Question · critique"]);
  await page.close();
});

test("facilitator notes are not searchable in a public build", async () => {
  const page = await browser.newPage();
  await page.goto(server.url("search/?q=secret"));
  await page.waitForFunction(() => /No results/.test(document.querySelector(".search-summary")?.textContent || ""));
  await page.close();
});

test("on the showcase, a first query fetches little and keystrokes answer within 50 ms", async () => {
  // The showcase keeps pages offline: its worker would fetch the whole index as it installs. A
  // desktop width: on a phone the header links to the search page instead of holding a box.
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, serviceWorkers: "block" });
  const start = showcase.log.length;
  await page.goto(showcase.url("essays/trust-needs-trustworthiness/"));
  await typeInHeader(page, "rupture");
  const fetched = showcase.log.slice(start).filter((r) => r.path.startsWith("/trust-guide/search/"));
  const bytes = fetched.reduce((n, r) => n + r.bytes, 0);
  console.log(`showcase: first query "rupture" fetched ${fetched.length} files, ${(bytes / 1024).toFixed(1)} KB`);
  assert.ok(bytes <= 30 * 1024, `${bytes} bytes`);
  const found = await options(page);
  assert.equal(found[0].title, "Alliance rupture");

  // Once what the query needs is loaded (a first pass, letter by letter), each keystroke's
  // search and render is quick.
  const query = "epistemic trust";
  const typeTimed = async () => {
    const times = [];
    await page.fill(box, "");
    for (let i = 1; i <= query.length; i++) {
      const typed = query.slice(0, i);
      await page.locator(box).press(query[i - 1] === " " ? "Space" : query[i - 1]);
      await page.waitForFunction((q) => document.querySelector('.site-search [role="listbox"]').dataset.query === q, typed);
      times.push(Number(await page.getAttribute(box, "data-search-ms")));
    }
    return times;
  };
  await typeTimed();
  const times = await typeTimed();
  console.log(`showcase: per keystroke, index loaded: ${times.join(", ")} ms`);
  assert.ok(Math.max(...times) <= 50, times.join(", "));
  await page.close();
});

test("keyboard: Tab leaves the header box for the next control, and Escape twice empties it", async () => {
  const page = await browser.newPage();
  await page.goto(server.url("about/"));
  await page.focus(box);
  await typeInHeader(page, "reliance");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.matches("[data-theme-toggle]")), true);
  await page.waitForFunction(() => document.querySelector("#site-search-input").getAttribute("aria-expanded") === "false");

  await page.focus(box);
  await typeInHeader(page, "reliance");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  assert.equal(await page.inputValue(box), "");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.locator(box).getAttribute("aria-expanded"), "false");
  assert.deepEqual(await options(page), []);
  await page.close();
});

test("the search page's filters keep the keyboard, and / goes to the page's own box", async () => {
  const page = await browser.newPage();
  await page.goto(server.url("search/?q=reliance"));
  await page.waitForSelector(".search-result");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-page-input");
  await page.focus('input[name="kind"][value=""]');
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => location.search.includes("kind=term"));
  const focused = () => page.evaluate(() => document.activeElement.matches('input[name="kind"]') && document.activeElement.value);
  assert.equal(await focused(), "term");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => location.search.includes("kind=essay"));
  assert.equal(await focused(), "essay");
  await page.close();
});

test("a query of several words finds the pages with all of them, else says it shows some", async () => {
  const page = await browser.newPage();
  const summary = async (query) => {
    await page.goto(showcase.url(`search/?q=${encodeURIComponent(query)}`));
    await page.waitForFunction(() => /result/.test(document.querySelector(".search-summary")?.textContent || ""));
    return page.textContent(".search-summary");
  };
  const count = (text) => Number(/(\d+)\+? results?/.exec(text)?.[1]);
  const trust = count(await summary("trust"));
  const both = await summary("epistemic trust");
  assert.match(both, /^\d+\+? results? for “epistemic trust”$/);
  assert.ok(count(both) < trust, `${both} against ${trust} for “trust”`);
  assert.match(await summary('"epistemic trust"'), /for “epistemic trust”$/);
  assert.match(await summary("trust qqxyzzy"), /^No page has every word of “trust qqxyzzy”: \d+\+? results? with some of them$/);
  await page.close();
});
