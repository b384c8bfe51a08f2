// OnTrack's own behaviour, served as a file: the Content-Security-Policy forbids inline
// scripts and on*= handlers (issue 8, headers). Pages work without it (each form keeps a
// <noscript> submit button); this only saves a click.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // <select data-autosubmit> submits its form when the choice changes.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }
});
