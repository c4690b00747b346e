// The search client's engine (js/search-index.js) against the files a real build writes for a
// generated course large enough to have every kind of part: for every stem, the postings the
// client reads, chunk by chunk (first chunk, `x/` files, shared `t/` tail files), are all of
// the stem's documents, once. Runs in Node: the engine touches no DOM and takes a function that
// loads a file.

import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { repo, buildSite, tempDir } from "./lib.mjs";
import { SearchIndex, readJson, excerptParts } from "../../themes/default/static/js/search-index.js";

let out;

before(async () => {
  const site = tempDir("lectern-index-");
  const made = spawnSync("cargo", ["run", "--quiet", "--example", "gen_corpus", "--", "5000", site, "--short"], {
    cwd: repo,
    encoding: "utf8",
  });
  if (made.status !== 0) throw new Error(`gen_corpus failed:\n${made.stderr}`);
  out = buildSite(site, "/");
});

/** Reads `search/<name>` from the build, as a fetch of `<name>?v=<id>` would. */
function reader(names) {
  return new SearchIndex("file:///search/", async (url) => {
    const path = decodeURI(new URL(url).pathname).replace(/^\/search\//, "");
    names.push(path);
    return readJson(readFileSync(join(out, "search", path)));
  });
}

test("every stem's postings are found where the client looks, each document once", async () => {
  const fetched = [];
  const index = reader(fetched);
  const m = await index.manifest();
  assert.equal(m.single, false);
  let further = 0;
  for (let n = 0; n < m.dict.length; n++) {
    for (const stem of await index.shard(n)) {
      if (stem.id === undefined) continue;
      const docs = [];
      for (let k = 0; k < stem.chunks; k++) docs.push(...(await index.chunk(stem, k)).map((p) => p[0]));
      assert.equal(docs.length, stem.df, `${stem.key}: postings read`);
      assert.equal(new Set(docs).size, stem.df, `${stem.key}: distinct documents`);
      if (stem.chunks > 1) further++;
    }
  }
  assert.ok(further > 0, "common stems have further postings");
  assert.ok(fetched.some((f) => f.startsWith("t/")), "last chunks come from tail files");
  assert.ok(fetched.some((f) => f.startsWith("x/")), "the others from their own files");
  // Every file fetched exists and is part of the index; every x/ and t/ file is used.
  const onDisk = (dir) => readdirSync(join(out, "search", dir)).map((f) => `${dir}/${f}`);
  for (const dir of ["t", "x"]) {
    const used = new Set(fetched.filter((f) => f.startsWith(`${dir}/`)).map((f) => f.split("?")[0]));
    assert.deepEqual([...used].sort(), onDisk(dir).sort(), `${dir}/ files`);
  }
});

test("a narrow filter on a multi-word query reads further chunks and finds pages with both words", async () => {
  const index = reader([]);
  const found = await index.search("trust therapist", { kind: "question", limit: 5 });
  assert.ok(found.results.length > 0);
  for (const r of found.results) assert.equal(r.kind, "question");
  assert.ok(found.results.some((r) => r.matched === 2));
});

test("the results of a query of several words have all of them, unless none has", async () => {
  const index = reader([]);
  const both = await index.search("trust therapist", { limit: 20 });
  assert.ok(both.results.length > 0 && !both.partial);
  for (const r of both.results) assert.equal(r.matched, 2);
  const some = await index.search("trust qqxyzzy", { limit: 20 });
  assert.ok(some.partial && some.results.length > 0);
});

test("an excerpt marks the matched words and starts about eight words before the first", () => {
  const isMatch = (word) => word.toLowerCase() === "trust";
  const text = "One two three four five six seven eight nine ten eleven twelve: trust, once lost, is slow to trust again.";
  const { cut, parts } = excerptParts(text, isMatch);
  assert.equal(cut, true);
  assert.equal(parts.map((p) => p.text).join("").trim(), "five six seven eight nine ten eleven twelve: trust, once lost, is slow to trust again.");
  assert.deepEqual(parts.filter((p) => p.match).map((p) => p.text), ["trust", "trust"]);
  assert.deepEqual(excerptParts("Trust comes first.", isMatch), {
    cut: false,
    parts: [{ text: "Trust", match: true }, { text: " comes first.", match: false }],
  });
  assert.deepEqual(excerptParts("Nothing here.", isMatch), { cut: false, parts: [{ text: "Nothing here.", match: false }] });
});

test("the highlighter marks the forms of the words a search matched", async () => {
  const index = reader([]);
  const found = await index.search("therapist", { limit: 5 });
  const { items } = await index.details(found, 5);
  const isMatch = index.highlighter(found.words, found.candidates);
  assert.ok(items.length > 0);
  for (const r of items) {
    const marked = excerptParts(r.text, isMatch).parts.filter((p) => p.match);
    assert.ok(marked.length > 0, r.text);
    for (const p of marked) assert.match(p.text, /^therapist/i);
  }
});
