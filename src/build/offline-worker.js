// The service worker of a site built with `offline = true` in site.toml. It keeps the pages a
// reader opens, the files they need and the search index in a cache, and answers from that
// cache when the network does not: the course opens on a train. Online, every request goes to
// the network first, so a reader always gets the latest build.
//
// lectern writes the line above this comment: SETTINGS, with `version` (a hash of everything
// the build wrote, so that a new build installs a new worker whose cache replaces the old
// one), `keep` (the home page, the search page and index, styles, scripts and fonts: fetched
// when the worker installs, so that any kept page shows whole and a search works) and
// `offline` (the page shown for a page that was not kept).
"use strict";

// Several sites may share an origin (user.github.io/a/ and user.github.io/b/): each one's
// caches carry its scope, and a worker touches no other's.
const PREFIX = `lectern ${self.registration.scope} `;
const CACHE = PREFIX + SETTINGS.version;

self.addEventListener("install", (event) => {
  event.waitUntil(keep(SETTINGS.keep).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// A page opened before the worker took charge asks for itself to be kept (js/offline.js).
self.addEventListener("message", (event) => {
  const urls = event.data && Array.isArray(event.data.keep) ? event.data.keep : [];
  event.waitUntil(keep(urls.filter((url) => typeof url === "string" && inScope(url))));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !inScope(request.url)) return;
  event.respondWith(networkFirst(event));
});

function inScope(url) {
  return new URL(url, self.registration.scope).href.startsWith(self.registration.scope);
}

/** The cache's key for a request: its URL without the query. The search page's `?q=` would
 * otherwise keep a copy per query, and the search index's parts are asked for with the index's
 * version (`?v=`), which within one build, and so one cache, is always the same. */
function key(request) {
  const url = new URL(request.url);
  url.search = "";
  url.hash = "";
  return url.href;
}

/** Fetches `urls` (pages and files, without their queries) and keeps those that load; one
 * that fails is left out, not fatal. */
async function keep(urls) {
  const cache = await caches.open(CACHE);
  await Promise.all(
    urls.map(async (url) => {
      const plain = new URL(url, self.registration.scope);
      plain.search = "";
      plain.hash = "";
      try {
        const response = await fetch(plain.href, { cache: "no-cache" });
        if (keepable(response)) await cache.put(plain.href, response);
      } catch (e) {
        // Offline while installing: the file is kept when it is next fetched.
      }
    }),
  );
}

/** A whole answer from this site: not an error, a part (206), another site's, or a redirect
 * (which a browser refuses as the answer to a page). */
function keepable(response) {
  return response.status === 200 && response.type === "basic" && !response.redirected;
}

async function networkFirst(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (keepable(response)) {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(key(request), copy)));
    }
    return response;
  } catch (error) {
    const cache = await caches.open(CACHE);
    const kept = await cache.match(key(request));
    if (kept) return kept;
    if (request.mode === "navigate") {
      return new Response(SETTINGS.offline, { status: 503, headers: { "content-type": "text/html; charset=utf-8" } });
    }
    return Response.error();
  }
}
