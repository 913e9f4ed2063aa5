// The admin's additions (templates/admin/base_site.html loads this file; the
// Content-Security-Policy allows no inline script).
//
// An empty autocomplete (select2, e.g. a department's parent) is labelled only by its
// empty selection: label its combobox and text box by the field's label as well, whenever
// select2 draws one (on page load, in an added inline row).
"use strict";

function labelAutocompletes() {
  for (const select of document.querySelectorAll("select.admin-autocomplete")) {
    const label = select.id && document.querySelector(`label[for="${select.id}"]`);
    const container = select.nextElementSibling;
    if (!label || !container || !container.classList.contains("select2")) continue;
    label.id = label.id || `${select.id}-label`;
    for (const part of container.querySelectorAll('[role="combobox"], [role="textbox"]')) {
      const own = part.getAttribute("aria-labelledby") || "";
      if (!own.split(" ").includes(label.id)) {
        part.setAttribute("aria-labelledby", `${label.id} ${own}`.trim());
      }
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  if (!document.querySelector("select.admin-autocomplete")) return;
  labelAutocompletes();
  new MutationObserver((changes) => {
    const drawn = changes.some((change) =>
      [...change.addedNodes].some((node) => node.classList?.contains("select2")),
    );
    if (drawn) labelAutocompletes();
  }).observe(document.body, { childList: true, subtree: true });
});
