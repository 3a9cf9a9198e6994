// The admin's list filters (filter_horizontal) draw a search icon as a <span> with an aria-label but no role, which
// assistive technology ignores (axe: aria-prohibited-attr). Give it the role of an image, so the label is read.
window.addEventListener("load", function () {
  window.setTimeout(function () {  // after SelectFilter2.js, which builds the widget on the same event
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (ikon) {
      ikon.setAttribute("role", "img");
    });
  }, 0);
});
