// lectern's search beside Pagefind's on the showcase course: nDCG@5 on the judged queries of
// tests/browser/search-judgments.json, and what a first query costs (bytes fetched, time to
// the first five results with their excerpts).
//
//   npm install --prefix /tmp/pf pagefind@1.6.0
//   PAGEFIND=/tmp/pf/node_modules/.bin/pagefind node benches/search-relevance.mjs
//
// Needs tests/browser's npm packages (`npm ci` there) and builds lectern in debug unless
// LECTERN_BIN names a binary. Without PAGEFIND, only lectern is measured.
//
// Pagefind indexes a copy of the same build, set up as a theme author would set it up: the
// pages lectern's search covers get `data-pagefind-body` on their <main> and a `kind` filter;
// their lists of connections (backlinks) are left out with `--exclude-selectors`. Both engines
// run in Node, reading files over loopback HTTP; a query is sent whole (not typed letter by
// letter), and a kind is a filter. First-query bytes count the index files a fresh engine
// fetches; gzip is what a server would send for lectern's JSON (Pagefind's files are
// compressed already). The engines' own scripts are listed apart.

import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { copySite, buildSite, serveStatic, tempDir } from "../tests/browser/lib.mjs";
import { CUTOFF, judgments, kindOfUrl, lecternRanking, score, report } from "../tests/browser/relevance.mjs";
import { SearchIndex, readJson } from "../themes/default/static/js/search-index.js";

const BASE = "/trust-guide/";
/** Single-word first queries to time, as a reader's first search. */
const FIRST = ["trust", "rupture", "vulnerability", "betrayal", "well-being", "mentalizing", "discernment", "bridge"];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kb = (bytes) => (bytes / 1024).toFixed(1);

/** Bytes and gzip bytes of the requests in `log` from `start` on, under `prefix`. */
function transfer(log, start, dir, prefix) {
  let bytes = 0;
  let gzip = 0;
  for (const r of log.slice(start)) {
    if (!r.path.startsWith(prefix)) continue;
    bytes += r.bytes;
    const file = join(dir, decodeURIComponent(r.path.slice(BASE.length)));
    gzip += r.path.endsWith(".json") ? gzipSync(readFileSync(file), { level: 6 }).length : r.bytes;
  }
  return { bytes, gzip };
}

async function measureLectern(out, server) {
  const fetchJson = async (url) => readJson(new Uint8Array(await (await fetch(url)).arrayBuffer()));
  const index = new SearchIndex(server.url("search/"), fetchJson);
  const scored = await score((judged) => lecternRanking(index, judged));
  const firsts = [];
  for (const q of FIRST) {
    const start = server.log.length;
    const fresh = new SearchIndex(server.url("search/"), fetchJson);
    const t0 = performance.now();
    const found = await fresh.search(q, { limit: CUTOFF });
    await fresh.details(found, CUTOFF);
    const ms = performance.now() - t0;
    firsts.push({ q, ms, ...transfer(server.log, start, out, `${BASE}search/`) });
  }
  const script = ["search.js", "search-index.js"].map((f) => statSync(join(out, "js", f)).size).reduce((a, b) => a + b, 0);
  return { scored, firsts, script };
}

/** A copy of the build that Pagefind indexes as a theme would set it up (see the top). */
function pagefindSite(out, pagefind, urls) {
  const dir = tempDir("lectern-pagefind-");
  cpSync(out, dir, { recursive: true });
  for (const url of urls) {
    const file = join(dir, url, "index.html");
    const html = readFileSync(file, "utf8");
    const marked = html.replace('<main id="main"', `<main id="main" data-pagefind-body data-pagefind-filter="kind:${kindOfUrl(url)}"`);
    if (marked === html) throw new Error(`no <main id="main"> in ${file}`);
    writeFileSync(file, marked);
  }
  const r = spawnSync(pagefind, ["--site", dir, "--exclude-selectors", ".relations", "--quiet"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`pagefind failed:\n${r.stderr}${r.stdout}`);
  return dir;
}

async function measurePagefind(dir, server) {
  let n = 0;
  /** A fresh Pagefind client: its module imported anew, so that it has fetched nothing. */
  const client = async () => {
    const pagefind = await import(`${join(dir, "pagefind", "pagefind.js")}?fresh=${n++}`);
    await pagefind.options({ basePath: server.url("pagefind/") });
    return pagefind;
  };
  const path = (url) => new URL(url, server.origin).pathname.slice(BASE.length);
  const rank = async (pagefind, judged) => {
    const found = await pagefind.search(judged.query, judged.kind ? { filters: { kind: judged.kind } } : {});
    const data = await Promise.all((found?.results || []).slice(0, CUTOFF).map((r) => r.data()));
    return data.map((d) => path(d.url));
  };
  const pagefind = await client();
  const scored = await score((judged) => rank(pagefind, judged));
  const firsts = [];
  for (const q of FIRST) {
    const fresh = await client();
    const start = server.log.length;
    const t0 = performance.now();
    await rank(fresh, { query: q });
    const ms = performance.now() - t0;
    firsts.push({ q, ms, ...transfer(server.log, start, dir, `${BASE}pagefind/`) });
  }
  const script = statSync(join(dir, "pagefind", "pagefind.js")).size;
  return { scored, firsts, script };
}

function summary(name, m) {
  const bytes = median(m.firsts.map((f) => f.bytes));
  const gzip = median(m.firsts.map((f) => f.gzip));
  const ms = median(m.firsts.map((f) => f.ms));
  return `| ${name} | ${m.scored.mean.toFixed(3)} | ${Math.min(...m.scored.rows.map((r) => r.ndcg)).toFixed(2)} | ${kb(bytes)} KB | ${kb(gzip)} KB | ${kb(m.script)} KB | ${ms.toFixed(0)} ms |`;
}

const out = buildSite(copySite(null), BASE, []);
const urls = [];
{
  const m = JSON.parse(readFileSync(join(out, "search", "manifest.json"), "utf8"));
  const index = new SearchIndex("file:///search/", async (url) => {
    const p = decodeURI(new URL(url).pathname).replace(/^\/search\//, "");
    return p === "manifest.json" ? m : readJson(readFileSync(join(out, "search", p)));
  });
  for (let doc = 0; doc < m.docs; doc++) urls.push((await index.passage(doc, 0)).url);
}
const server = await serveStatic(out, BASE);
const lectern = await measureLectern(out, server);
await server.close();
console.log(report("lectern", lectern.scored));
const rows = [summary("lectern", lectern)];
const types = (m) => [...new Set(judgments().map((j) => j.type))].map((t) => {
  const s = m.scored.rows.filter((r) => r.judged.type === t).map((r) => r.ndcg);
  return (s.reduce((a, b) => a + b, 0) / s.length).toFixed(3);
});
const typeRows = [`| lectern | ${types(lectern).join(" | ")} |`];
if (process.env.PAGEFIND) {
  const dir = pagefindSite(out, process.env.PAGEFIND, urls);
  const pfServer = await serveStatic(dir, BASE);
  const pagefind = await measurePagefind(dir, pfServer);
  await pfServer.close();
  console.log(report("Pagefind", pagefind.scored));
  rows.push(summary("Pagefind", pagefind));
  typeRows.push(`| Pagefind | ${types(pagefind).join(" | ")} |`);
  for (const f of pagefind.firsts) console.log(`  Pagefind first query ${f.q}: ${kb(f.bytes)} KB, ${f.ms.toFixed(0)} ms`);
}
for (const f of lectern.firsts) console.log(`  lectern first query ${f.q}: ${kb(f.bytes)} KB (${kb(f.gzip)} KB gzip), ${f.ms.toFixed(0)} ms`);
console.log(`\n${judgments().length} judged queries; first queries: ${FIRST.join(", ")} (medians)\n`);
console.log("| engine | nDCG@5 | lowest | first query | gzip | script | first query time |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const r of rows) console.log(r);
console.log(`\n| engine | ${[...new Set(judgments().map((j) => j.type))].join(" | ")} |`);
console.log(`|---|${[...new Set(judgments().map((j) => j.type))].map(() => "---:").join("|")}|`);
for (const r of typeRows) console.log(r);
