// The meeting's saksliste and møtebok as PDF: fetch their state (GET data-motebok-url, an HTML part) into the
// section, and again every 2 s while one is being made (data-motebok-arbeid), so the progress moves and the
// download link appears when it is done. Without script the section links to the same state as a page.
(function () {
  "use strict";
  const seksjon = document.querySelector("[data-motebok-url]");
  if (!seksjon) {
    return;
  }
  const innhold = seksjon.querySelector("[data-motebok-innhold]");
  const INTERVALL = 2000;

  function hent() {
    fetch(seksjon.dataset.motebokUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (svar) {
        if (!svar.ok) {
          throw new Error(String(svar.status));
        }
        return svar.text();
      })
      .then(function (html) {
        innhold.innerHTML = html;
        if (innhold.querySelector("[data-motebok-arbeid]")) {
          window.setTimeout(hent, INTERVALL);
        }
      })
      .catch(function () {
        // Keep the link to the page: it shows the same state.
      });
  }

  hent();
})();
