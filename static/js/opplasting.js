// Uploads (issue 13): a form with files shows how far the upload has come, and its buttons cannot be pressed
// again while it is being sent. Progressive enhancement: without this script the form is sent by the browser as
// before. With it, a file form (POST, multipart/form-data) with at least one file chosen is sent with
// XMLHttpRequest (fetch reports no upload progress); the page the server answers with (the next page after a
// redirect, or the form again with its errors) then replaces this one, as the browser itself would have shown
// it. A file form with no file chosen is sent as usual, with its buttons disabled until the next page arrives. On a failure the
// buttons are enabled again and the form keeps everything that was filled in.
(function () {
  "use strict";

  function knapper(form) {
    return Array.from(form.querySelectorAll("button, input[type=submit]")).filter(function (knapp) {
      return knapp.type === "submit";
    });
  }

  function opptatt(form, ja) {
    knapper(form).forEach(function (knapp) {
      knapp.disabled = ja;
    });
    form.setAttribute("aria-busy", ja ? "true" : "false");
    if (ja) {
      form.dataset.sender = "1";
    } else {
      delete form.dataset.sender;
    }
  }

  function harFiler(form) {
    return Array.from(form.querySelectorAll("input[type=file]")).some(function (felt) {
      return felt.files && felt.files.length > 0;
    });
  }

  // The progress bar and its live status line, made once per form, after its buttons.
  function fremdrift(form) {
    let boks = form.querySelector("[data-fremdrift]");
    if (!boks) {
      boks = document.createElement("div");
      boks.className = "mt-3";
      boks.setAttribute("data-fremdrift", "");
      const id = "fremdrift-" + Math.random().toString(36).slice(2);
      boks.innerHTML = '<label class="form-label small mb-1"></label>' +
        '<progress class="w-100" max="100" value="0"></progress>' +
        '<p class="small mb-0" aria-live="polite"></p>';
      boks.querySelector("label").htmlFor = id;
      boks.querySelector("label").textContent = "Laster opp";
      boks.querySelector("progress").id = id;
      form.appendChild(boks);
    }
    boks.hidden = false;
    boks.querySelector("p").classList.remove("text-danger");
    return {
      boks: boks,
      linje: boks.querySelector("progress"),
      status: boks.querySelector("p"),
    };
  }

  function feil(form, visning, melding) {
    visning.status.textContent = melding;
    visning.status.classList.add("text-danger");
    visning.linje.value = 0;
    opptatt(form, false);
  }

  // The server's answer as the new page: its address (after a redirect) and its whole document, so its
  // messages, error summary and scripts work as after an ordinary submit.
  function visSvar(xhr) {
    if (xhr.responseURL && xhr.responseURL !== window.location.href) {
      window.history.replaceState(null, "", xhr.responseURL);
    }
    document.open();
    document.write(xhr.responseText);
    document.close();
    window.scrollTo(0, 0);
  }

  function send(form, knapp) {
    const data = new FormData(form);
    if (knapp && knapp.name) {
      data.append(knapp.name, knapp.value);  // the pressed button, as the browser would have sent it
    }
    const visning = fremdrift(form);
    opptatt(form, true);
    visning.status.textContent = "0 %";
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", function (hendelse) {
      if (hendelse.lengthComputable && hendelse.total > 0) {
        const prosent = Math.floor((hendelse.loaded / hendelse.total) * 100);
        visning.linje.value = prosent;
        visning.status.textContent = prosent + " %";
      }
    });
    xhr.upload.addEventListener("load", function () {
      visning.linje.value = 100;
      visning.status.textContent = "Filene er lastet opp og sjekkes nå …";
    });
    xhr.addEventListener("load", function () {
      const type = xhr.getResponseHeader("Content-Type") || "";
      if (type.indexOf("text/html") === 0 && xhr.responseText) {
        visSvar(xhr);
      } else if (xhr.status === 413) {
        feil(form, visning, "Filene er for store til å sendes. Velg mindre filer, og prøv igjen.");
      } else {
        feil(form, visning, "Opplastingen feilet (feil " + xhr.status + "). Prøv igjen.");
      }
    });
    xhr.addEventListener("error", function () {
      feil(form, visning, "Opplastingen ble avbrutt. Sjekk nettforbindelsen, og prøv igjen.");
    });
    xhr.addEventListener("timeout", function () {
      feil(form, visning, "Opplastingen tok for lang tid. Prøv igjen.");
    });
    xhr.send(data);
  }

  // On window, so it runs after the page's own submit handlers (a confirmation that was declined stops here).
  window.addEventListener("submit", function (hendelse) {
    const form = hendelse.target;
    if (hendelse.defaultPrevented || !(form instanceof HTMLFormElement) || form.method !== "post" ||
        form.enctype !== "multipart/form-data") {
      return;
    }
    if (form.dataset.sender) {
      hendelse.preventDefault();  // pressed again while it is being sent
      return;
    }
    if (harFiler(form) && window.FormData) {
      hendelse.preventDefault();
      send(form, hendelse.submitter);
      return;
    }
    form.dataset.sender = "1";
    // Disabled only after the browser has taken the pressed button's name and value into what it sends.
    window.setTimeout(function () {
      opptatt(form, true);
    }, 0);
  });

  // Back to a page from the browser's cache: its forms may be sent again.
  window.addEventListener("pageshow", function (hendelse) {
    if (hendelse.persisted) {
      document.querySelectorAll("form[data-sender]").forEach(function (form) {
        opptatt(form, false);
      });
    }
  });
})();
