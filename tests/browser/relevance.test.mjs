// How well search ranks the showcase course's pages: the judged queries of
// search-judgments.json, sent to the real client engine (js/search-index.js) in Node over the
// index a build writes, scored by nDCG@5. benches/search-relevance.mjs scores Pagefind on the
// same judgments.

import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { copySite, buildSite } from "./lib.mjs";
import { SearchIndex, readJson } from "../../themes/default/static/js/search-index.js";
import { judgments, lecternRanking, resultName, score, report } from "./relevance.mjs";

// What a reader should be able to count on: a mean of 0.93, and no query so badly served that
// its best pages are missing from the first five.
const MEAN = 0.93;
const LEAST = 0.6;

let index, urls;

before(async () => {
  const out = buildSite(copySite(null), "/");
  index = new SearchIndex("file:///search/", async (url) => {
    const path = decodeURI(new URL(url).pathname).replace(/^\/search\//, "");
    return readJson(readFileSync(join(out, "search", path)));
  });
  const m = await index.manifest();
  urls = new Set();
  for (let doc = 0; doc < m.docs; doc++) urls.add(resultName(await index.passage(doc, 0)));
});

test("every judged page is a page of the showcase", () => {
  for (const judged of judgments()) {
    for (const url of Object.keys(judged.grades)) assert.ok(urls.has(url), `${judged.query}: ${url}`);
  }
});

test(`the judged queries score a mean nDCG@5 of at least ${MEAN}, and none below ${LEAST}`, async () => {
  const scored = await score((judged) => lecternRanking(index, judged));
  console.log(report("lectern", scored));
  assert.ok(scored.mean >= MEAN, `mean nDCG@5 ${scored.mean.toFixed(3)}`);
  const low = scored.rows.filter((r) => r.ndcg < LEAST).map((r) => `${r.judged.query}: ${r.ndcg.toFixed(3)}`);
  assert.deepEqual(low, []);
});
