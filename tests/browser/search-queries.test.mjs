// What queries find, through the search client's engine (js/search-index.js) in Node, over the
// index a real build writes: of the showcase course, and of a small course made for it
// (tests/fixtures/sites/search). Stop words in names and hyphenated words, a sent query taken
// as written, a filter's results and notice, pages of links below their subjects, and which
// words an excerpt marks.

import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { copySite, buildSite } from "./lib.mjs";
import { SearchIndex, readJson, excerptParts } from "../../themes/default/static/js/search-index.js";

let showcase, fixture;

/** The engine over a build's search/ folder, read from disk as the client would fetch it. */
function engine(out) {
  return new SearchIndex("file:///search/", async (url) => {
    const path = decodeURI(new URL(url).pathname).replace(/^\/search\//, "");
    return readJson(readFileSync(join(out, "search", path)));
  });
}

before(() => {
  showcase = engine(buildSite(copySite(null), "/"));
  fixture = engine(buildSite(copySite("sites/search"), "/"));
});

/** The page paths a search shows: the definition card's first, then the results. */
async function pages(index, query, options = {}) {
  const found = await index.search(query, { limit: 20, ...options });
  const url = async (doc) => (await index.passage(doc, 0)).url;
  const card = found.card ? await url(found.card.doc) : null;
  const results = [];
  for (const r of found.results) if (!found.card || r.doc !== found.card.doc) results.push(await url(r.doc));
  return { found, card, results };
}

test("a hyphenated glossary term finds its definition and every page that uses it", async () => {
  const { card, results } = await pages(showcase, "well-being", { limit: 40 });
  assert.equal(card, "glossary/well-being/");
  assert.ok(results.length >= 15, results.join(" "));
  for (const typed of ["wellbeing", "Well-being", "well‑being"]) {
    const other = await pages(showcase, typed, { limit: 40 });
    assert.equal(other.card, card, typed);
    assert.deepEqual(other.results, results, typed);
  }
});

test("a stop word that is part of a term is searched: “being” alone finds well-being", async () => {
  const { results } = await pages(showcase, "being");
  assert.equal(results[0], "glossary/well-being/");
  assert.ok(results.length > 5, results.join(" "));
});

test("a name made of stop words finds its term and the session of that title, typed or sent", async () => {
  for (const typing of [false, true]) {
    const { card, results } = await pages(fixture, "up to us", { typing });
    assert.equal(card, "glossary/up-to-us/", `typing: ${typing}`);
    assert.equal(results[0], "sessions/1/", `typing: ${typing}`);
  }
  // A query of nothing but stop words searches them.
  const { results } = await pages(fixture, "up to");
  assert.deepEqual(results.slice(0, 2).sort(), ["glossary/up-to-us/", "sessions/1/"]);
});

test("a glossary name of several words ranks the pages with the phrase above the words apart", async () => {
  const { results } = await pages(fixture, "therapeutic alliance");
  assert.deepEqual(results, ["essays/working-together/", "essays/notes-on-method/"]);
  const { found } = await pages(showcase, "therapeutic alliance");
  const phrase = found.results.map((r) => r.phrase);
  assert.ok(phrase[0], JSON.stringify(phrase));
  assert.ok(phrase.every((p, i) => i === 0 || p <= phrase[i - 1]), `no phrase after the words apart: ${phrase}`);
});

test("a sent query is taken as written; as it is typed, exact matches rank above the words it begins", async () => {
  const sent = await showcase.search("trust", { limit: 20 });
  assert.deepEqual(sent.candidates[0].map((c) => c.how), ["exact"]);
  const { results } = await pages(fixture, "trust");
  assert.equal(results[0], "essays/trust-and-its-limits/");
  assert.ok(!results.includes("essays/earning-trustworthiness/"), results.join(" "));

  const typed = await showcase.search("trust", { limit: 40, typing: true });
  assert.ok(typed.candidates[0].some((c) => c.how === "prefix"), "a typed word stands for the words it begins");
  const exact = typed.results.map((r) => r.exact);
  assert.ok(exact.includes(0), "pages found only by a longer word");
  assert.ok(exact.indexOf(0) === exact.lastIndexOf(1) + 1, "every exact match first");
});

test("a filter that leaves nothing while another kind has every word gives no results, not a partial notice", async () => {
  const essays = await fixture.search("positive regard", { kind: "essay" });
  assert.deepEqual([essays.results.length, essays.partial], [0, false]);
  const all = await pages(fixture, "positive regard");
  assert.equal(all.card, "glossary/acceptance/");
  // When no page has every word, pages of the kind with some of them stand in.
  const some = await fixture.search("regard qqxyzzy", { kind: "term" });
  assert.ok(some.partial && some.results.length === 1);
  assert.equal((await fixture.search("regard qqxyzzy", { kind: "essay" })).results.length, 0);
});

test("session pages, lists of links, rank below the essays and questions about their subject", async () => {
  for (const word of ["trustworthiness", "rupture", "repair"]) {
    const { results } = await pages(showcase, word);
    const firstSession = results.findIndex((u) => u.startsWith("sessions/"));
    const subjects = results.filter((u) => /^(essays|questions)\//.test(u)).slice(0, 3);
    for (const s of subjects) assert.ok(results.indexOf(s) < firstSession || firstSession < 0, `${word}: ${results.join(" ")}`);
  }
  const { results } = await pages(showcase, "therapeutic alliance");
  assert.ok(!results.slice(0, 5).includes("reading-list/"), results.join(" "));
});

test("a query of three words or more also finds the pages that lack one of them", async () => {
  // The question on experience never says "better"; it is what the query asks.
  const { results } = await pages(showcase, "does experience make therapists better");
  assert.equal(results[0], "questions/does-experience-make-better-therapists/");
  // Two words must both be there.
  const both = await fixture.search("trust qqxyzzy");
  assert.ok(both.partial);
  const three = await fixture.search("trust limits qqxyzzy");
  assert.ok(!three.partial && three.results.every((r) => r.matched === 2), JSON.stringify(three.results));
});

test("an alias finds the pages that use its term's name", async () => {
  const { card, results } = await pages(showcase, "positive regard");
  assert.equal(card, "glossary/acceptance/");
  assert.ok(results.includes("essays/developing-therapists/"), results.join(" "));
});

test("excerpts mark the words a query matched: its stems' forms and what a misspelling meant", async () => {
  const marks = async (query, text) => {
    const found = await showcase.search(query);
    const isMatch = showcase.highlighter(found.words, found.candidates);
    return excerptParts(text, isMatch).parts.filter((p) => p.match).map((p) => p.text);
  };
  const text = "Therapy helps; therapies differ; a therapist's therapeutic skill and therapists matter.";
  assert.deepEqual(await marks("therapy", text), ["Therapy", "therapies"]);
  assert.deepEqual(await marks("therapist", text), ["therapist's", "therapists"]);
  assert.deepEqual(await marks("empahty", "Empathy, empathic and empty."), ["Empathy"]);
  assert.deepEqual(await marks("well-being", "Their well-being, and being well."), ["well-being"]);
  assert.deepEqual(await marks("repair", "Repairs repaired a repairing repairman."), ["Repairs", "repaired", "repairing"]);
});
