// Accessibility of the showcase course in a real browser, checked with axe-core against WCAG 2.2
// A and AA (and axe's best practices): every page type, light and dark, desktop and phone widths,
// with the interactive states a reader meets (search results on screen, a term card open, the
// header's dropdown open). A critical or serious violation fails; lesser ones are printed.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { copySite, buildSite, serveStatic, launch } from "./lib.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];

let server, browser;

before(async () => {
  server = await serveStatic(buildSite(copySite(null), "/trust-guide/"), "/trust-guide/");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Each page, and how to bring it into the state to check once loaded. */
const PAGES = {
  home: { path: "" },
  essay: { path: "essays/trust-as-joint-commitment/" },
  term: { path: "glossary/epistemic-trust/" },
  question: { path: "questions/reliance-in-everyday-life/" },
  session: { path: "sessions/2/" },
  tags: { path: "tags/" },
  tag: { path: "tags/epistemic-trust/" },
  references: { path: "references/" },
  "reading list": { path: "reading-list/" },
  search: {
    path: "search/",
    async ready(page) {
      await page.locator("#search-page-input").pressSequentially("trust", { delay: 20 });
      await page.waitForSelector(".search-result-list .search-result");
    },
  },
  "essay with a term card open": {
    path: "essays/trust-as-joint-commitment/",
    async ready(page) {
      await page.focus("main .prose a.term-link >> nth=0");
      await page.waitForSelector(".term-card:not([hidden])", { state: "visible" });
    },
  },
  "essay with a citation card open": {
    path: "essays/trust-as-joint-commitment/",
    async ready(page) {
      await page.focus("main .prose a.cite-link >> nth=0");
      await page.waitForSelector(".term-card:not([hidden])", { state: "visible" });
    },
  },
  "essay marked read, a heading's link focused": {
    path: "essays/trust-as-joint-commitment/",
    async ready(page) {
      await page.getByRole("button", { name: "Mark as read" }).click();
      await page.locator(".heading-anchor >> nth=1").focus();
    },
  },
  "header search with results": {
    path: "glossary/",
    // On a phone the header has a link to the search page instead of a search box.
    desktopOnly: true,
    async ready(page) {
      await page.locator("#site-search-input").pressSequentially("rupture", { delay: 20 });
      await page.waitForSelector(".search-dropdown:not([hidden]) [role=option]");
    },
  },
};

const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

/** Runs axe on the page as it is; returns its violations. */
async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    }));
  }, TAGS);
}

function describe(violations) {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target}\n      ${n.summary.replace(/\n/g, "\n      ")}`).join("\n")}`)
    .join("\n");
}

for (const scheme of ["light", "dark"]) {
  for (const [device, viewport] of Object.entries(VIEWPORTS)) {
    for (const [name, { path, ready, desktopOnly }] of Object.entries(PAGES)) {
      if (desktopOnly && device !== "desktop") continue;
      test(`${name}: no serious accessibility violations (${scheme}, ${device})`, async () => {
        const context = await browser.newContext({ colorScheme: scheme, viewport, reducedMotion: "reduce" });
        const page = await context.newPage();
        try {
          await page.goto(server.url(path));
          if (ready) await ready(page);
          const violations = await axe(page);
          const serious = violations.filter((v) => v.impact === "critical" || v.impact === "serious");
          const minor = violations.filter((v) => !serious.includes(v));
          if (minor.length) console.log(`# ${name} (${scheme}, ${device}): lesser issues\n${describe(minor)}`);
          assert.deepEqual(serious, [], `${name} (${scheme}, ${device}):\n${describe(serious)}`);
        } finally {
          await context.close();
        }
      });
    }
  }
}

test("the colour toggle's choice is what axe sees", async () => {
  // The toggle overrides the system scheme; a page switched to dark by hand must pass too.
  const context = await browser.newContext({ colorScheme: "light", viewport: VIEWPORTS.desktop });
  const page = await context.newPage();
  try {
    await page.goto(server.url(PAGES.essay.path));
    await page.click("[data-theme-toggle]");
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    const serious = (await axe(page)).filter((v) => v.impact === "critical" || v.impact === "serious");
    assert.deepEqual(serious, [], describe(serious));
  } finally {
    await context.close();
  }
});
