// Citations in a real browser: a citation opens the same card as a glossary term, with its work's
// title and full reference, and leads to the reference at the foot of the page; printing numbers
// terms but not citations (their works are in the printed references); search finds a work by
// its author, labelled as a reference.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copySite, buildSite, serveStatic, launch } from "./lib.mjs";

let server, browser;

before(async () => {
  server = await serveStatic(buildSite(copySite(null), "/trust-guide/"), "/trust-guide/");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
  const page = await context.newPage();
  await page.goto(server.url(path));
  return { page, close: () => context.close() };
}

test("a citation's card shows its work's full reference and leads to it", async () => {
  const { page, close } = await open("essays/trust-as-joint-commitment/");
  try {
    const cite = page.locator('main .prose a.cite-link[data-cite="baier1986trust"]').first();
    await cite.focus();
    const card = page.locator(".term-card");
    await card.waitFor({ state: "visible" });
    assert.equal(await card.locator(".term-card-name").textContent(), "Trust and antitrust");
    assert.match(await card.locator(".term-card-summary").textContent(), /^Baier, A\. \(1986\)\. Trust and antitrust\. Ethics, 96\(2\), 231–260\. https:\/\/doi\.org\/10\.1086\/292745$/);
    assert.equal(await card.locator(".term-card-more").getAttribute("href"), "#ref-baier1986trust");
    assert.match(await card.locator(".term-card-more").textContent(), /^Go to the reference/);
    // The card describes the citation to assistive technology, as a term's card does.
    assert.match((await cite.getAttribute("aria-describedby")) ?? "", /term-card-summary/);
    await page.keyboard.press("Escape");
    await card.waitFor({ state: "hidden" });
    await page.keyboard.press("Enter");
    await page.waitForURL(/#ref-baier1986trust$/);
    assert.ok(await page.locator("#ref-baier1986trust").isVisible());
    // A glossary term's card keeps its own wording.
    await page.locator("main .prose a.term-link:not(.cite-link)").first().focus();
    await card.waitFor({ state: "visible" });
    assert.match(await card.locator(".term-card-more").textContent(), /^Read the entry/);
  } finally {
    await close();
  }
});

test("printing numbers terms, not citations", async () => {
  const { page, close } = await open("essays/trust-as-joint-commitment/");
  try {
    await page.emulateMedia({ media: "print" });
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    const numbered = await page.evaluate(() =>
      [...document.querySelectorAll("sup.term-note-ref")].map((s) => s.previousElementSibling?.className ?? ""),
    );
    assert.ok(numbered.length > 0, "terms are numbered");
    assert.ok(numbered.every((c) => !c.includes("cite-link")), numbered.join(", "));
    assert.ok(await page.locator("section.references #ref-baier1986trust").isVisible());
  } finally {
    await close();
  }
});

test("search finds a work by its author, as a reference", async () => {
  const { page, close } = await open("search/?q=bordin");
  try {
    const first = page.locator(".search-result-list .search-result").first();
    await first.waitFor();
    assert.match(await first.textContent(), /Reference/);
    assert.match(await first.locator("a").first().getAttribute("href"), /\/references\/#bordin1979alliance$/);
    // The kinds offered as filters include references.
    assert.ok(await page.locator('.search-kinds input[value="reference"]').count());
  } finally {
    await close();
  }
});
