// Takes the README's screenshots from a real build of the showcase course:
//   cd tests/browser && npm run screenshots
// writes docs/screenshots/{home,term-card,search,phone}.png. Not a test: run it by hand after a
// visible change to the theme, look at the pictures, and commit them.

import { join } from "node:path";
import { statSync } from "node:fs";
import { copySite, buildSite, serveStatic, launch, repo } from "./lib.mjs";

const OUT = join(repo, "docs/screenshots");
const server = await serveStatic(buildSite(copySite(null), "/trust-guide/"), "/trust-guide/");
const browser = await launch();

/** A page in a fresh context, with the self-hosted font already cached: it is
 * `font-display: optional`, so a cold first load may paint with the fallback. */
async function open(path, { width = 1280, height = 800, scheme = "light" } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme, reducedMotion: "reduce" });
  const page = await context.newPage();
  await page.goto(server.url(path), { waitUntil: "networkidle" });
  await page.reload({ waitUntil: "networkidle" });
  await page.evaluate(() => document.fonts.ready);
  return { page, close: () => context.close() };
}

async function shoot(name, page) {
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path });
  console.log(`${path}: ${Math.round(statSync(path).size / 1024)} KB`);
}

try {
  {
    const { page, close } = await open("");
    await shoot("home", page);
    await close();
  }
  {
    // An essay with a term card open, as a mouse hovering a term shows it.
    const { page, close } = await open("essays/the-car-and-the-friend/");
    const term = page.locator("main .prose a.term-link", { hasText: /^reliance$/i }).first();
    await term.scrollIntoViewIfNeeded();
    const box = await term.boundingBox();
    await page.mouse.wheel(0, box.y - 330);
    await page.waitForTimeout(200);
    await term.hover();
    await page.waitForSelector(".term-card:not([hidden])");
    await shoot("term-card", page);
    await close();
  }
  {
    // The search page with results for a typed query, in the dark theme.
    const { page, close } = await open("search/", { scheme: "dark" });
    await page.locator("#search-page-input").pressSequentially("repair", { delay: 30 });
    await page.waitForSelector(".search-result-list .search-result");
    await page.waitForTimeout(300);
    await shoot("search", page);
    await close();
  }
  {
    // A session on a phone, where the header folds onto three rows.
    const { page, close } = await open("sessions/3/", { width: 390, height: 844 });
    await shoot("phone", page);
    await close();
  }
} finally {
  await browser.close();
  await server.close();
}
