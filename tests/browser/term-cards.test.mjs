// Glossary term cards in a real browser: a term link shows its card on hover, on keyboard focus
// and on a first tap, stays a real link, never moves the text, fits a phone, and prints as
// numbered notes with a "Terms" list.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { copySite, buildSite, serveStatic, launch } from "./lib.mjs";

const TRUST = "Counting on someone who responds to your counting on them.";
const FIRST = "main .prose a.term-link >> nth=0"; // "Trust", the first word of the essay

let server, browser;

before(async () => {
  const root = copySite("sites/basic");
  // A page that lists no terms: the card of the one it links reads the page's data block.
  appendFileSync(join(root, "content/about.md"), "\nWe lean on [[reliance]] here.\n");
  const out = buildSite(root, "/course/");
  server = await serveStatic(out, "/course/");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The card's state: visible or not, its text, and its box in the viewport. */
function cardState(page) {
  return page.evaluate(() => {
    const card = document.querySelector(".term-card");
    if (!card || card.hidden) return { open: false };
    const r = card.getBoundingClientRect();
    return {
      open: true,
      name: card.querySelector(".term-card-name").textContent,
      summary: card.querySelector(".term-card-summary").textContent,
      more: card.querySelector("a").getAttribute("href"),
      box: { left: r.left, right: r.right, top: r.top, bottom: r.bottom },
      viewport: { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight },
    };
  });
}

const waitOpen = (page) => page.waitForSelector(".term-card:not([hidden])", { state: "visible" });
const waitClosed = (page) => page.waitForSelector(".term-card", { state: "hidden" });

test("with JavaScript the summary moves from title to a data attribute; the link stays a link", async () => {
  const page = await browser.newPage();
  await page.goto(server.url("essays/alpha/"));
  const link = await page.$eval(FIRST, (a) => ({
    title: a.getAttribute("title"),
    summary: a.dataset.termSummary,
    href: a.getAttribute("href"),
  }));
  assert.equal(link.title, null);
  assert.equal(link.summary, TRUST);
  assert.equal(link.href, "/course/glossary/trust/");
  assert.ok(server.log.some((r) => r.path === "/course/js/term-cards.js" && r.status === 200));
  await page.close();
});

test("without JavaScript a term link goes to its entry, the page's key terms show its summary, and it prints plainly", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url("essays/alpha/"));
  assert.equal(await page.$eval(FIRST, (a) => a.getAttribute("href")), "/course/glossary/trust/");
  assert.equal(await page.$(".term-card"), null);
  const listed = await page.$eval('.relations a[data-term="trust"]', (a) => a.nextElementSibling.textContent);
  assert.equal(listed, TRUST);
  await page.emulateMedia({ media: "print" });
  const deco = await page.$eval(FIRST, (a) => getComputedStyle(a).textDecorationLine);
  assert.equal(deco, "none");
  await context.close();
});

test("a term the page does not list shows its card from the page's data block", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url("about/"));
  assert.equal(await page.$(".relations"), null);
  await page.hover('main a.term-link[data-term="reliance"]');
  await waitOpen(page);
  const card = await cardState(page);
  assert.equal(card.name, "Reliance");
  assert.equal(card.summary, "Depending on something without expecting it to care.");
  await page.close();
});

test("hovering shows the card; the pointer can move into it; leaving closes it", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url("essays/alpha/"));
  await page.hover(FIRST);
  await waitOpen(page);
  const card = await cardState(page);
  assert.equal(card.name, "Trust");
  assert.equal(card.summary, TRUST);
  assert.equal(card.more, "/course/glossary/trust/");
  // The card sits just below the link.
  const link = await page.locator(FIRST).boundingBox();
  assert.ok(card.box.top >= link.y + link.height && card.box.top < link.y + link.height + 20, JSON.stringify({ card, link }));

  // From the link into the card (crossing the gap) keeps it open.
  await page.mouse.move(card.box.left + 20, card.box.top + 20, { steps: 8 });
  await page.waitForTimeout(600);
  assert.equal((await cardState(page)).open, true);

  // Away from both closes it after the grace period.
  await page.mouse.move(1200, 780, { steps: 4 });
  await waitClosed(page);
  assert.equal(await page.$eval(FIRST, (a) => a.getAttribute("aria-describedby")), null);
  await page.close();
});

test("Tab focus shows the card and describes the link; Escape closes it and keeps focus", async () => {
  const page = await browser.newPage();
  await page.goto(server.url("essays/alpha/"));
  let onTerm = false;
  for (let i = 0; i < 60 && !onTerm; i++) {
    await page.keyboard.press("Tab");
    onTerm = await page.evaluate(() => document.activeElement.matches("a.term-link"));
  }
  assert.ok(onTerm, "Tab reaches a term link");
  await waitOpen(page);
  const described = await page.evaluate(() => {
    const a = document.activeElement;
    const ids = (a.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    return { text: a.textContent, ids, description: ids.map((id) => document.getElementById(id)?.textContent).join(" ") };
  });
  assert.equal(described.text, "Trust");
  assert.ok(described.ids.length > 0);
  assert.match(described.description, /Counting on someone who responds/);

  await page.keyboard.press("Escape");
  await waitClosed(page);
  const after = await page.evaluate(() => ({
    focused: document.activeElement.matches("a.term-link") && document.activeElement.textContent,
    describedby: document.activeElement.getAttribute("aria-describedby"),
  }));
  assert.equal(after.focused, "Trust");
  assert.equal(after.describedby, null);

  // Only one card at a time: the next term link takes over.
  await page.keyboard.press("Tab");
  await waitOpen(page);
  const state = await cardState(page);
  assert.equal(state.name, "Epistemic trust");
  assert.equal(await page.locator(".term-card").count(), 1);
  assert.equal(await page.$eval(FIRST, (a) => a.getAttribute("aria-describedby")), null);

  // Enter still follows the link.
  await Promise.all([page.waitForURL(/\/course\/glossary\/epistemic-trust\/$/), page.keyboard.press("Enter")]);
  await page.close();
});

test("clicking elsewhere closes the card; a click on the link follows it", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url("essays/alpha/"));
  await page.hover(FIRST);
  await waitOpen(page);
  await page.mouse.click(5, 790);
  await waitClosed(page);
  await Promise.all([page.waitForURL(/\/course\/glossary\/trust\/$/), page.click(FIRST)]);
  await page.close();
});

test("on a touch screen the first tap opens the card, the second follows the link", async () => {
  const context = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  await page.goto(server.url("essays/alpha/"));
  const start = page.url();
  await page.tap(FIRST);
  await waitOpen(page);
  await page.waitForTimeout(300);
  assert.equal(page.url(), start, "the first tap does not navigate");
  const card = await cardState(page);
  assert.equal(card.summary, TRUST);
  assert.ok(card.box.left >= 0 && card.box.right <= card.viewport.width);

  // A tap elsewhere closes it; the next tap on the link opens it again.
  await page.tap("h1");
  await waitClosed(page);
  await page.tap(FIRST);
  await waitOpen(page);
  assert.equal(page.url(), start);

  // The card's own link navigates.
  await Promise.all([page.waitForURL(/\/course\/glossary\/trust\/$/), page.tap(".term-card a")]);
  await page.goBack();
  await page.waitForURL(start);

  // As does a second tap on the term link.
  await page.tap(FIRST);
  await waitOpen(page);
  await Promise.all([page.waitForURL(/\/course\/glossary\/trust\/$/), page.tap(FIRST)]);
  await context.close();
});

test("on a 320 px phone every card stays inside the viewport", async () => {
  const context = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await page.goto(server.url("essays/alpha/"));
  const count = await page.locator("main a.term-link").count();
  assert.ok(count >= 3);
  for (let i = 0; i < count; i++) {
    const link = page.locator("main a.term-link").nth(i);
    await link.scrollIntoViewIfNeeded();
    await link.focus();
    await waitOpen(page);
    const { box, viewport } = await cardState(page);
    assert.ok(box.left >= 0 && box.right <= viewport.width, `card ${i} fits horizontally: ${JSON.stringify(box)}`);
    assert.ok(box.top >= 0 && box.bottom <= viewport.height, `card ${i} fits vertically: ${JSON.stringify(box)}`);
    assert.ok(box.right - box.left >= 200, "the card is wide enough to read");
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, "no horizontal scrolling");
  await context.close();
});

test("opening a card never moves the text", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url("essays/alpha/"));
  const boxes = () =>
    page.evaluate(() => {
      const p = document.querySelector("main .prose a.term-link").closest("p");
      const list = [p, p.nextElementSibling, ...p.querySelectorAll("a")];
      return list.map((el) => {
        const r = el.getBoundingClientRect();
        return [r.x, r.y, r.width, r.height];
      });
    });
  const before = await boxes();
  await page.hover(FIRST);
  await waitOpen(page);
  assert.deepEqual(await boxes(), before);
  await page.locator("main .prose a.term-link").nth(1).focus();
  await waitOpen(page);
  assert.deepEqual(await boxes(), before);
  assert.equal(await page.$eval(".term-card", (c) => getComputedStyle(c).position), "absolute");
  await page.close();
});

test("the card follows the colour scheme and reduced motion", async () => {
  const context = await browser.newContext({ colorScheme: "dark", reducedMotion: "reduce" });
  const page = await context.newPage();
  await page.goto(server.url("essays/alpha/"));
  await page.locator(FIRST).focus();
  await waitOpen(page);
  const style = await page.$eval(".term-card", (c) => {
    const s = getComputedStyle(c);
    return { bg: s.backgroundColor, color: s.color, animation: s.animationName };
  });
  assert.equal(style.bg, "rgb(34, 30, 26)"); // --bg-raised, dark
  assert.equal(style.color, "rgb(236, 230, 221)"); // --text, dark
  assert.equal(style.animation, "none");
  await context.close();
});

test("print numbers each term link and lists the terms at the end; afterprint undoes it", async () => {
  const page = await browser.newPage();
  await page.goto(server.url("essays/alpha/"));
  await page.locator(FIRST).focus();
  await waitOpen(page);
  await page.emulateMedia({ media: "print" });
  await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  const printed = await page.evaluate(() => ({
    refs: [...document.querySelectorAll("main a.term-link")].map((a) => [a.textContent, a.nextElementSibling?.matches("sup.term-note-ref") && a.nextElementSibling.textContent]),
    heading: document.querySelector(".term-notes h2")?.textContent,
    items: [...document.querySelectorAll(".term-notes li")].map((li) => [li.value, li.textContent]),
    last: document.querySelector("main").lastElementChild.className,
    visible: getComputedStyle(document.querySelector(".term-notes")).display,
    card: getComputedStyle(document.querySelector(".term-card")).display,
    decoration: getComputedStyle(document.querySelector("main a.term-link")).textDecorationLine,
  }));
  assert.deepEqual(printed.refs, [
    ["Trust", "1"],
    ["Epistemic trust", "2"],
    ["the trust entry", "1"],
    ["trusting relationship", "1"],
  ]);
  assert.equal(printed.heading, "Terms");
  assert.deepEqual(printed.items, [
    [1, `Trust — ${TRUST}`],
    [2, "Epistemic trust — Trust in what another person tells you as relevant to you."],
  ]);
  assert.equal(printed.last, "term-notes");
  assert.notEqual(printed.visible, "none");
  assert.equal(printed.card, "none");
  assert.equal(printed.decoration, "none");

  await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
  await page.emulateMedia({ media: "screen" });
  const left = await page.evaluate(() => document.querySelectorAll(".term-note-ref, .term-notes").length);
  assert.equal(left, 0);
  await page.close();
});
