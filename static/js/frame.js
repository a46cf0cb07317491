// The frame's small behaviours, on every page (no build step: this file is served as is).
// - The top bar's account menu (a <details>): closed by a click outside it or by Escape;
//   without this script it still opens and closes from its own button.
// - Copy buttons: <button data-copy="#id"> copies that element's text and says so.
(() => {
  const openMenus = () => document.querySelectorAll("details[data-user-menu][open]");
  document.addEventListener("click", (event) => {
    for (const menu of openMenus()) if (!menu.contains(event.target)) menu.open = false;
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const menu of openMenus()) {
      menu.open = false;
      menu.querySelector("summary")?.focus();
    }
  });

  // Plain http:// on another host has no Clipboard API: select the text and copy that.
  const copyText = async (element) => {
    const text = element.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    if (!document.execCommand("copy")) throw new Error("copy refused");
  };
  document.addEventListener("click", async (event) => {
    const button = event.target.closest?.("button[data-copy]");
    if (!button) return;
    const source = document.querySelector(button.dataset.copy);
    if (!source) return;
    const label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    try {
      await copyText(source);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select and copy";
    }
    clearTimeout(button._reset);
    button._reset = setTimeout(() => (button.textContent = label), 1600);
  });
})();
