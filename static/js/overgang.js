// Ask before irreversible steps: any form with data-bekreft="…" asks that question before it is sent.
document.addEventListener("submit", function (event) {
  const sporsmal = event.target.dataset && event.target.dataset.bekreft;
  if (sporsmal && !window.confirm(sporsmal)) {
    event.preventDefault();
  }
});

// After a refused submit, move the focus to the error summary, so the person (and a screen reader) starts there.
document.addEventListener("DOMContentLoaded", function () {
  const oppsummering = document.querySelector("[data-feiloppsummering]");
  if (oppsummering) {
    oppsummering.focus();
  }
});

// Tables that stack on a narrow screen (WCAG 1.4.10, reflow at 320 px): each cell gets its column's name, which the
// stylesheet shows above the value once the table is a list of cards. The roles keep the table a table for screen
// readers after the stylesheet has changed how its rows are laid out. Without script the table scrolls in itself.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("main table.table").forEach(function (tabell) {
    const hode = tabell.tHead && tabell.tHead.rows[tabell.tHead.rows.length - 1];
    if (!hode || tabell.tHead.rows.length > 1) {
      return;
    }
    const navn = [];
    Array.from(hode.cells).forEach(function (celle) {
      const tekst = celle.textContent.replace(/\s+/g, " ").trim();
      for (let i = 0; i < (celle.colSpan || 1); i++) {
        navn.push(tekst);
      }
    });
    tabell.setAttribute("role", "table");
    Array.from(tabell.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot")).forEach(function (del) {
      del.setAttribute("role", "rowgroup");
    });
    Array.from(hode.cells).forEach(function (celle) {
      celle.setAttribute("role", "columnheader");
    });
    hode.setAttribute("role", "row");
    Array.from(tabell.tBodies).concat(tabell.tFoot ? [tabell.tFoot] : []).forEach(function (del) {
      Array.from(del.rows).forEach(function (rad) {
        rad.setAttribute("role", "row");
        let kolonne = 0;
        Array.from(rad.cells).forEach(function (celle) {
          celle.setAttribute("role", celle.tagName === "TH" ? "rowheader" : "cell");
          const etikett = navn[kolonne];
          if (etikett && (celle.colSpan || 1) === 1 && !celle.hasAttribute("data-label")) {
            celle.setAttribute("data-label", etikett);
          }
          kolonne += celle.colSpan || 1;
        });
      });
    });
    tabell.classList.add("stablet");
  });
});
