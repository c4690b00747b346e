// Scoring search results against the judged queries of search-judgments.json: nDCG@5 over the
// ranking a reader sees. Shared by relevance.test.mjs (lectern's engine) and
// benches/search-relevance.mjs (lectern beside Pagefind).

import { readFileSync } from "node:fs";
import { join } from "node:path";

export const CUTOFF = 5;

/** The judged queries: `[{query, kind?, type, grades: {url: 0|1|2}}]`. */
export function judgments() {
  return JSON.parse(readFileSync(join(import.meta.dirname, "search-judgments.json"), "utf8")).queries;
}

/** The kind of a page, from its path under the base path. */
export function kindOfUrl(url) {
  const first = url.split("/")[0];
  return { glossary: "term", essays: "essay", questions: "question", sessions: "session" }[first] || "page";
}

/** nDCG@k of `ranking` (page paths, best first) for a judged query: gains 2^grade - 1, the ideal
 * ranking made of the judged pages (of the query's kind, when it has one). */
export function ndcg(ranking, judged, k = CUTOFF) {
  const gain = (grade) => 2 ** grade - 1;
  const discount = (i) => 1 / Math.log2(i + 2);
  const seen = new Set();
  let dcg = 0;
  ranking.slice(0, k).forEach((url, i) => {
    if (seen.has(url)) return;
    seen.add(url);
    dcg += gain(judged.grades[url] || 0) * discount(i);
  });
  const ideal = Object.entries(judged.grades)
    .filter(([url]) => !judged.kind || kindOfUrl(url) === judged.kind)
    .map(([, grade]) => gain(grade))
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, g, i) => sum + g * discount(i), 0);
  return ideal ? dcg / ideal : 1;
}

/** The pages lectern's engine shows for a query, as the search page shows them: the definition
 * card first when there is one, then the results without the card's page. */
export async function lecternRanking(index, judged, options = {}) {
  const found = await index.search(judged.query, { kind: judged.kind, limit: CUTOFF * 2, ...options });
  const docs = found.results.map((r) => r.doc);
  if (found.card) docs.unshift(found.card.doc);
  const urls = [];
  for (const doc of [...new Set(docs)].slice(0, options.limit || CUTOFF)) urls.push(resultName(await index.passage(doc, 0)));
  return urls;
}

/** How the judgments name a result: its page's path, and for an entry of a page that lists
 * several (a work on the references page) the entry's anchor after `#`. */
export function resultName(passage) {
  return passage.headingId && passage.heading === "" ? `${passage.url}#${passage.headingId}` : passage.url;
}

/** Mean and per-query scores of `rank(judged) → urls` over every judged query. */
export async function score(rank) {
  const rows = [];
  for (const judged of judgments()) {
    const urls = await rank(judged);
    rows.push({ judged, urls, ndcg: ndcg(urls, judged) });
  }
  const mean = rows.reduce((s, r) => s + r.ndcg, 0) / rows.length;
  return { mean, rows };
}

/** A table of the scores, worst first, for a test's or a benchmark's output. */
export function report(name, { mean, rows }) {
  const lines = [`${name}: mean nDCG@${CUTOFF} ${mean.toFixed(3)} over ${rows.length} queries`];
  const byType = new Map();
  for (const r of rows) byType.set(r.judged.type, [...(byType.get(r.judged.type) || []), r.ndcg]);
  lines.push("  " + [...byType].map(([t, s]) => `${t} ${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(3)}`).join(", "));
  for (const r of [...rows].sort((a, b) => a.ndcg - b.ndcg).slice(0, 12)) {
    const q = r.judged.kind ? `${r.judged.query} [${r.judged.kind}]` : r.judged.query;
    lines.push(`  ${r.ndcg.toFixed(3)}  ${q.padEnd(44)} ${r.urls.join(" ")}`);
  }
  return lines.join("\n");
}
