// The light/dark toggle. The choice is kept in localStorage; without one, the system's
// preference applies (see the stylesheet). An inline script in <head> applies a stored choice
// before first paint, so there is no flash.
(function () {
  const button = document.querySelector("[data-theme-toggle]");
  if (!button) return;
  const root = document.documentElement;
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  const current = () => root.dataset.theme || (systemDark.matches ? "dark" : "light");
  const label = () => {
    // The labels come in the site's language, from the button's data attributes.
    const next = current() === "dark" ? button.dataset.labelLight : button.dataset.labelDark;
    if (next) button.setAttribute("aria-label", next);
    button.setAttribute("aria-pressed", String(current() === "dark"));
  };
  button.hidden = false;
  label();
  button.addEventListener("click", () => {
    const next = current() === "dark" ? "light" : "dark";
    root.dataset.theme = next;
    try {
      localStorage.setItem("lectern-theme", next);
    } catch (e) {
      // Private browsing: the choice lasts for this page only.
    }
    label();
  });
  systemDark.addEventListener("change", label);
})();
