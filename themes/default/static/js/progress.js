// Reading progress: a reader marks an essay read or a question prepared (a toggle button at the
// end of the page), and the home page's syllabus counts each session's. The marks are kept in
// this browser's localStorage, as the list of the pages marked, and are sent nowhere. The
// controls are in the page hidden, and shown only once storage is known to work: without
// scripts or storage, a reader sees none.
(function () {
  const KEY = "lectern-progress";

  function storageWorks() {
    try {
      const probe = KEY + "-probe";
      localStorage.setItem(probe, "1");
      localStorage.removeItem(probe);
      return true;
    } catch (e) {
      return false;
    }
  }

  /** The pages marked, by URL path (each under the site's base path, so that two courses on
   * one domain do not mix). */
  function marked() {
    try {
      const list = JSON.parse(localStorage.getItem(KEY) || "[]");
      return new Set(Array.isArray(list) ? list.filter((url) => typeof url === "string") : []);
    } catch (e) {
      return new Set();
    }
  }

  function toggle(url) {
    const done = marked();
    if (done.has(url)) done.delete(url);
    else done.add(url);
    try {
      localStorage.setItem(KEY, JSON.stringify([...done].sort()));
    } catch (e) {
      // Storage full or withdrawn meanwhile: the mark is not kept, and the button says so.
    }
  }

  const toggles = Array.from(document.querySelectorAll("[data-progress-toggle]"));
  const sessions = Array.from(document.querySelectorAll("[data-progress-essays]"));
  if ((!toggles.length && !sessions.length) || !storageWorks()) return;

  /** "2 of 3 readings": the words come from the page, in the site's language; the first form
   * is for a total of one. */
  function phrase(holder, which, done, total) {
    const form = holder.getAttribute(`data-${which}-${total === 1 ? "one" : "other"}`) || "";
    return form.replace("{done}", String(done)).replace("{total}", String(total));
  }

  function count(done, list) {
    const urls = (list || "").split(" ").filter(Boolean);
    return [urls.filter((url) => done.has(url)).length, urls.length];
  }

  function show() {
    const done = marked();
    for (const button of toggles) {
      button.setAttribute("aria-pressed", String(done.has(button.dataset.progressToggle)));
    }
    for (const item of sessions) {
      const line = item.querySelector("[data-progress-count]");
      const holder = item.closest("[data-readings-one]");
      if (!line || !holder) continue;
      const parts = [];
      const [read, readings] = count(done, item.dataset.progressEssays);
      if (readings) parts.push(phrase(holder, "readings", read, readings));
      const [prepared, questions] = count(done, item.dataset.progressQuestions);
      if (questions) parts.push(phrase(holder, "questions", prepared, questions));
      // Each count stays on one line ("0 of 6 questions" does not break after "of").
      const text = line.querySelector("[data-progress-text]");
      text.replaceChildren();
      parts.forEach((part, i) => {
        if (i) text.append(", ");
        const span = document.createElement("span");
        span.className = "syllabus-progress-part";
        span.textContent = part;
        text.append(span);
      });
      line.classList.toggle("syllabus-progress-complete", read === readings && prepared === questions);
      line.hidden = false;
    }
  }

  for (const button of toggles) {
    button.addEventListener("click", () => {
      toggle(button.dataset.progressToggle);
      show();
    });
    const mark = button.closest("[data-progress-mark]");
    if (mark) mark.hidden = false;
  }
  show();
  // Marks made in another tab, and a page brought back from the back-forward cache.
  window.addEventListener("storage", (event) => {
    if (event.key === KEY || event.key === null) show();
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) show();
  });
})();
