// Term cards: a glossary link shows its term's name and summary on hover, keyboard focus or a
// first tap, and prints as a numbered note with a "Terms" list at the end of the page. A
// citation (class cite-link) shows its work's title and full reference in the same card.
//
// Every term link is rendered as <a class="term-link" data-term="slug">, and a term's name and
// summary are written once per page: in the page's lists of terms (<a data-term> followed by its
// .relation-note, or in a <dt> whose <dd> holds the summary) or, for a term they do not list, in
// the #lectern-terms data block. A citation
// links to its work's entry in the page's references, which is the card's text. Without this
// script each is an ordinary link. With it, each link gets `data-term-name` and
// `data-term-summary`, and one shared card (appended to <body>, positioned absolutely, so the
// text never moves) describes whichever link is active via aria-describedby.
(function () {
  if (!document.querySelector("a.term-link") && !document.querySelector('script[src*="__lectern/"]')) return;

  const OPEN_DELAY = 120; // ms of hovering before a card opens
  const CLOSE_DELAY = 280; // ms of grace to move the pointer from the link into the card
  const GAP = 6; // px between the link and the card
  const MARGIN = 8; // px kept free at the viewport's edges
  // The card's words, in the site's language, from js/words.js (or an older template's data block).
  let WORDS = {};
  try {
    WORDS = window.lecternWords || JSON.parse(document.getElementById("lectern-words")?.textContent || "{}") || {};
  } catch (e) {
    // No words given: the card shows without its link label.
  }


  const summaryOf = (link) => link.dataset.termSummary || "";
  const nameOf = (link) => {
    const given = link.dataset.termName;
    if (given) return given;
    const text = link.textContent.trim();
    if (text) return text.charAt(0).toUpperCase() + text.slice(1);
    const slug = link.dataset.term || "";
    return slug.charAt(0).toUpperCase() + slug.slice(1).replace(/-/g, " ");
  };

  // The card: built once, reused for every link.
  const card = document.createElement("div");
  card.className = "term-card";
  card.id = "term-card";
  card.hidden = true;
  const name = document.createElement("p");
  name.className = "term-card-name";
  name.id = "term-card-name";
  const summary = document.createElement("p");
  summary.className = "term-card-summary";
  summary.id = "term-card-summary";
  const more = document.createElement("a");
  more.className = "term-card-more";
  // The term link itself goes to the same place, so the card adds no extra Tab stop.
  more.tabIndex = -1;
  const moreLabel = document.createTextNode(WORDS.read_the_entry || "");
  const arrow = document.createElement("span");
  arrow.setAttribute("aria-hidden", "true");
  arrow.textContent = " →";
  more.append(moreLabel, arrow);
  card.append(name, summary, more);
  document.body.append(card);
  const DESCRIBED = [name.id, summary.id]; // what aria-describedby points at while shown

  let current = null; // the link whose card is shown
  let openTimer = 0;
  let closeTimer = 0;
  let hovering = false; // a mouse pointer is over a term link or the card
  let suppressed = null; // a link dismissed with Escape: it stays closed while hovered or focused
  let downLink = null; // the term link under the last pointerdown, its pointer type and
  let downType = ""; // whether its card was already open then
  let downWasOpen = false;

  const termOf = (el) => (el instanceof Element ? el.closest("a.term-link") : null);
  const within = (el) => el instanceof Node && (card.contains(el) || (current !== null && current.contains(el)));

  function describe(link, on) {
    const ids = (link.getAttribute("aria-describedby") || "").split(/\s+/).filter((id) => id && !DESCRIBED.includes(id));
    if (on) ids.push(...DESCRIBED);
    if (ids.length) link.setAttribute("aria-describedby", ids.join(" "));
    else link.removeAttribute("aria-describedby");
  }

  function clearTimers() {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    openTimer = closeTimer = 0;
  }

  function open(link) {
    clearTimers();
    if (current === link) return;
    if (current) close();
    current = link;
    name.textContent = nameOf(link);
    summary.textContent = summaryOf(link);
    summary.hidden = !summary.textContent;
    more.setAttribute("href", link.getAttribute("href"));
    // A citation's card shows its full reference and goes to it in the page's references.
    moreLabel.textContent = link.classList.contains("cite-link") ? WORDS.go_to_reference : WORDS.read_the_entry;
    card.hidden = false;
    place();
    describe(link, true);
    link.classList.add("term-link-open");
  }

  function close() {
    clearTimers();
    if (!current) return;
    describe(current, false);
    current.classList.remove("term-link-open");
    card.hidden = true;
    current = null;
  }

  function scheduleClose() {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    closeTimer = setTimeout(() => {
      if (current && !hovering && !within(document.activeElement)) close();
    }, CLOSE_DELAY);
  }

  // Below the link, or above it when there is more room there; always inside the viewport.
  function place() {
    if (!current) return;
    const rects = current.getClientRects();
    if (!rects.length) return;
    const first = rects[0];
    const last = rects[rects.length - 1];
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    card.style.left = "0px";
    card.style.top = "0px";
    card.style.maxWidth = `${Math.max(0, vw - 2 * MARGIN)}px`;
    const box = card.getBoundingClientRect(); // its size, and where (0, 0) of its containing block is
    const below = vh - last.bottom - GAP;
    const above = first.top - GAP;
    const up = below < box.height + MARGIN && above > below;
    const anchor = up ? first : last;
    const x = Math.max(MARGIN, Math.min(anchor.left, vw - MARGIN - box.width));
    const y = up ? first.top - GAP - box.height : last.bottom + GAP;
    card.classList.toggle("term-card-above", up);
    card.style.left = `${Math.round(x - box.left)}px`;
    card.style.top = `${Math.round(y - box.top)}px`;
  }

  // A mouse hovering opens the card after a moment; it may move from the link into the card.
  // Links are prepared once each; the preview's live reload may swap in new ones.
  const prepared = new WeakSet();
  const prepare = () => {
    const terms = pageTerms();
    for (const link of document.querySelectorAll("a.term-link")) {
      if (prepared.has(link)) continue;
      prepared.add(link);
      const known = link.classList.contains("cite-link") ? citedWork(link) : terms.get(link.dataset.term);
      if (known) {
        if (known[0] && !link.dataset.termName) link.dataset.termName = known[0];
        if (known[1]) link.dataset.termSummary = known[1];
      }
      bind(link);
    }
  };
  // Each term's [name, summary] by slug, from the data block and the relation lists.
  function pageTerms() {
    const terms = new Map();
    try {
      const data = JSON.parse(document.getElementById("lectern-terms")?.textContent || "{}") || {};
      for (const [slug, entry] of Object.entries(data)) terms.set(slug, entry);
    } catch (e) {
      // No data block: the relation lists hold the page's terms.
    }
    // A listed term: its summary follows its link (.relation-note), or is its <dt>'s <dd>.
    for (const a of document.querySelectorAll("a[data-term]:not(.term-link)")) {
      const next = a.nextElementSibling;
      const note = next?.classList.contains("relation-note") ? next : a.closest("dt")?.nextElementSibling;
      if (note) terms.set(a.dataset.term, [a.textContent.trim(), note.textContent.trim()]);
    }
    return terms;
  }
  // A citation's [title, full reference]: the entry its link goes to in the page's references.
  function citedWork(link) {
    const id = decodeURIComponent((link.getAttribute("href") || "").replace(/^#/, ""));
    const entry = id && document.getElementById(id);
    return [link.dataset.termName, entry ? entry.textContent.replace(/\s+/g, " ").trim() : ""];
  }
  const bind = (link) => {
    link.addEventListener("pointerenter", (e) => {
      if (e.pointerType !== "mouse") return;
      hovering = true;
      if (suppressed === link) return;
      clearTimeout(closeTimer);
      if (current === link) return;
      clearTimeout(openTimer);
      openTimer = setTimeout(() => open(link), current ? 0 : OPEN_DELAY);
    });
    link.addEventListener("pointerleave", (e) => {
      if (e.pointerType !== "mouse") return;
      hovering = false;
      if (suppressed === link) suppressed = null;
      clearTimeout(openTimer);
      if (current === link) scheduleClose();
    });
  };
  prepare();
  document.addEventListener("lectern:swap", () => {
    close();
    prepare();
  });
  card.addEventListener("pointerenter", (e) => {
    if (e.pointerType !== "mouse") return;
    hovering = true;
    clearTimeout(closeTimer);
  });
  card.addEventListener("pointerleave", (e) => {
    if (e.pointerType !== "mouse") return;
    hovering = false;
    scheduleClose();
  });

  // Pressing anywhere else closes the card. A touch or pen's first tap on a term link opens its
  // card instead of following it; a second tap, or the card's own link, follows.
  document.addEventListener(
    "pointerdown",
    (e) => {
      const link = termOf(e.target);
      downLink = link;
      downType = e.pointerType;
      downWasOpen = link !== null && link === current;
      if (!link && !card.contains(e.target)) close();
    },
    true,
  );

  document.addEventListener("click", (e) => {
    const link = termOf(e.target);
    if (!link) return;
    const type = e.pointerType || (downLink === link ? downType : "");
    const wasOpen = downLink === link && downWasOpen;
    downLink = null;
    if ((type === "touch" || type === "pen") && !wasOpen) {
      e.preventDefault();
      suppressed = null;
      open(link);
      if (document.activeElement !== link) link.focus({ preventScroll: true });
    }
  });

  // Keyboard focus opens the card; focus going anywhere else closes it. Escape closes it and
  // leaves focus on the link.
  document.addEventListener("focusin", (e) => {
    const link = termOf(e.target);
    if (link) {
      if (suppressed !== link) open(link);
    } else if (current && !card.contains(e.target) && !hovering) {
      close();
    }
  });

  document.addEventListener("focusout", (e) => {
    const link = termOf(e.target);
    if (link && link === suppressed && !(e.relatedTarget instanceof Node && link.contains(e.relatedTarget))) suppressed = null;
    if (current && !(e.relatedTarget instanceof Node && within(e.relatedTarget))) scheduleClose();
  });

  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !current) return;
    const link = current;
    const focusWasInCard = card.contains(document.activeElement);
    close();
    suppressed = link;
    if (focusWasInCard) link.focus();
  });

  window.addEventListener("resize", place);

  // Print: each term link gets a superscript number; the page ends with the terms' summaries.
  let printed = [];

  window.addEventListener("beforeprint", () => {
    close();
    if (printed.length) return;
    const main = document.querySelector("main") || document.body;
    const numbers = new Map();
    const entries = [];
    // Citations print as they read; their works are in the page's references already.
    for (const link of main.querySelectorAll("a.term-link:not(.cite-link)")) {
      const key = link.dataset.term || link.getAttribute("href");
      let n = numbers.get(key);
      if (!n) {
        n = numbers.size + 1;
        numbers.set(key, n);
        entries.push({ n, name: nameOf(link), summary: summaryOf(link) });
      }
      const ref = document.createElement("sup");
      ref.className = "term-note-ref";
      ref.textContent = String(n);
      link.after(ref);
      printed.push(ref);
    }
    if (!entries.length) return;
    const section = document.createElement("section");
    section.className = "term-notes";
    const heading = document.createElement("h2");
    heading.textContent = WORDS.terms_heading;
    const list = document.createElement("ol");
    for (const { n, name: term, summary: text } of entries) {
      const item = document.createElement("li");
      item.value = n;
      const strong = document.createElement("strong");
      strong.textContent = term;
      item.append(strong);
      if (text) item.append(` — ${text}`);
      list.append(item);
    }
    section.append(heading, list);
    main.append(section);
    printed.push(section);
  });

  window.addEventListener("afterprint", () => {
    for (const node of printed) node.remove();
    printed = [];
  });
})();
