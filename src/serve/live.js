// lectern serve: live reload. Listens for build events and reloads this tab when its page
// changed (keeping the scroll position), swaps stylesheets in place when only CSS changed, and
// shows build errors over the page until they are fixed.
(function () {
  "use strict";
  const script = document.currentScript;
  const base = (script && script.dataset.base) || "/";
  const here = location.pathname.endsWith("/") || location.pathname.endsWith(".html") ? location.pathname : location.pathname + "/";
  const scrollKey = "lectern-scroll:" + location.pathname;

  // Restore the scroll position kept across a live reload.
  try {
    const saved = sessionStorage.getItem(scrollKey);
    if (saved !== null) {
      sessionStorage.removeItem(scrollKey);
      const y = Number(saved);
      const restore = () => window.scrollTo(0, y);
      if (document.readyState === "complete") restore();
      else window.addEventListener("load", restore, { once: true });
    }
  } catch (e) {
    // Storage may be unavailable; reloads then start at the top.
  }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, String(window.scrollY));
    } catch (e) {}
    location.reload();
  }

  // The page as served, to tell whether a change stays inside <main>. When it does, the new
  // <main> is swapped in without a reload: no flash, no lost scroll position, and much faster.
  const shell = (html) => {
    const start = html.indexOf("<main");
    const end = html.lastIndexOf("</main>");
    return start < 0 || end < start ? null : html.slice(0, start) + html.slice(end);
  };
  const inner = (html) => {
    const open = html.indexOf(">", html.indexOf("<main")) + 1;
    return html.slice(open, html.lastIndexOf("</main>"));
  };
  let served = fetch(location.href, { cache: "no-store" })
    .then((r) => (r.ok ? r.text() : null))
    .catch(() => null);

  async function refresh() {
    try {
      const before = await served;
      const response = await fetch(location.href, { cache: "no-store" });
      const html = response.ok ? await response.text() : null;
      const main = document.querySelector("main");
      if (!before || !html || !main || shell(html) === null || shell(html) !== shell(before)) return reload();
      served = Promise.resolve(html);
      main.innerHTML = inner(html);
      document.dispatchEvent(new CustomEvent("lectern:swap"));
    } catch (e) {
      reload();
    }
  }

  function swapCss(files) {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (files.includes(url.pathname)) {
        const fresh = link.cloneNode();
        url.searchParams.set("v", String(Date.now()));
        fresh.href = url.pathname + url.search;
        // Remove the old sheet only once the new one applies, so nothing flashes unstyled.
        fresh.addEventListener("load", () => link.remove(), { once: true });
        link.after(fresh);
      }
    }
  }

  let overlay = null;
  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "lectern-error-overlay";
      overlay.setAttribute("role", "alertdialog");
      overlay.setAttribute("aria-label", "Build error");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,16,14,.94);color:#f4eee6;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem;";
      const title = document.createElement("p");
      title.style.cssText = "font:600 16px/1.4 system-ui,sans-serif;margin:0 0 1rem;color:#ffb4a0";
      title.textContent = "lectern: the site has errors. The last good build is shown underneath; fix the file and save.";
      const pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      const close = document.createElement("button");
      close.type = "button";
      close.textContent = "Hide";
      close.style.cssText = "position:absolute;top:1rem;right:1rem;font:14px system-ui,sans-serif;padding:.3rem .8rem";
      close.addEventListener("click", () => {
        overlay.hidden = true;
      });
      overlay.append(title, pre, close);
      document.body.append(overlay);
    }
    overlay.querySelector("pre").textContent = text;
    overlay.hidden = false;
  }

  function hideError() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function connect() {
    const source = new EventSource(base + "__lectern/events");
    source.onmessage = (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch (e) {
        return;
      }
      if (event.type === "error") showError(event.text);
      else if (event.type === "ok") hideError();
      else if (event.type === "css") swapCss(event.files);
      else if (event.type === "reload" && event.all) reload();
      else if (event.type === "reload" && (event.pages.includes(here) || event.pages.includes(location.pathname))) refresh();
    };
    // EventSource reconnects by itself after a dropped connection (a restarted server).
  }
  connect();
})();
