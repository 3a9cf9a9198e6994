// Ask before irreversible steps: any form with data-bekreft="…" asks that question before it is sent.
document.addEventListener("submit", function (event) {
  const sporsmal = event.target.dataset && event.target.dataset.bekreft;
  if (sporsmal && !window.confirm(sporsmal)) {
    event.preventDefault();
  }
});
