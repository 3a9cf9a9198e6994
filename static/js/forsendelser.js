// The case page's letters follow their delivery: while one is on its way, ask the stored statuses every 30 s
// (GET data-forsendelser-url, JSON from saker.levering.statuser) and update each tag; stop once every letter is
// final. The server asks SvarUt on its own schedule, so however many pages are open, SvarUt is asked once.
(function () {
  "use strict";
  const seksjon = document.querySelector("[data-forsendelser-url]");
  if (!seksjon) {
    return;
  }
  const INTERVALL = 30000;
  const FARGER = ["text-bg-success", "text-bg-danger", "text-bg-info"];
  let tidtaker = null;

  function farge(rad) {
    return rad.levert ? "text-bg-success" : rad.ikke_levert ? "text-bg-danger" : "text-bg-info";
  }

  function oppdater(data) {
    let endret = false;
    for (const rad of data.forsendelser) {
      const tag = seksjon.querySelector('[data-forsendelse-status="' + rad.id + '"]');
      if (!tag || tag.dataset.status === rad.status) {
        continue;
      }
      tag.dataset.status = rad.status;
      tag.textContent = rad.tekst;
      tag.classList.remove(...FARGER);
      tag.classList.add(farge(rad));
      endret = true;
    }
    if (endret) {
      seksjon.querySelector("[data-forsendelser-endret]").hidden = false;
    }
    return data.alle_endelige;
  }

  function hent() {
    if (document.hidden) {
      return;
    }
    fetch(seksjon.dataset.forsendelserUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (svar) { return svar.ok ? svar.json() : Promise.reject(svar.status); })
      .then(function (data) {
        if (oppdater(data)) {
          window.clearInterval(tidtaker);
        }
      })
      .catch(function () { /* the next tick tries again; the page still shows the stored status */ });
  }

  // data-folg: the server saw a letter not yet final when it drew the page.
  if (seksjon.hasAttribute("data-folg")) {
    tidtaker = window.setInterval(hent, INTERVALL);
    document.addEventListener("visibilitychange", hent);
  }
})();
