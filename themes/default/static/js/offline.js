// Registers the service worker that keeps the pages a reader opens for reading offline. Only
// pages of a site built with `offline = true` in site.toml load this script; the worker's
// address and scope come from the script element.
(function () {
  const script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  // The first page a reader opens was fetched before the worker ran: the worker is asked to
  // keep it too. Later pages are kept as they are fetched through it.
  const first = !navigator.serviceWorker.controller;
  navigator.serviceWorker
    .register(script.dataset.worker, { scope: script.dataset.scope })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      if (first && registration.active) registration.active.postMessage({ keep: [location.href] });
    })
    .catch(() => {
      // No worker (private browsing, storage full): the site works as any website does.
    });
})();
