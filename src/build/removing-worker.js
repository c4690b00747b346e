// The service worker of a site built without `offline = true`. No page registers it: it is
// here for readers whose browsers installed the worker of an earlier build that had
// `offline = true`. Their browsers fetch this file in its place when they next open the site;
// it deletes the pages that worker kept and unregisters itself, and the site is an ordinary
// website again.
"use strict";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const prefix = `lectern ${self.registration.scope} `;
      for (const name of await caches.keys()) {
        if (name.startsWith(prefix)) await caches.delete(name);
      }
      await self.registration.unregister();
    })(),
  );
});
