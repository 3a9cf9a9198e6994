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
