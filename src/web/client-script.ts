// Tandem's own browser script, served as /assets/tandem.js (a module from our origin, so the CSP
// needs no 'unsafe-inline'). Progressive enhancement only: every page works without it.
// - An upload form (data-module="tandem-upload") sends the file with XMLHttpRequest so the
//   sending can be shown as a progress bar; the server's answer replaces the page as a normal
//   submission would (the job page after the redirect, or the form with its errors).
// - An import job page (data-module="tandem-import-progress") polls the job's status and moves its
//   progress bar, reloading when the import has ended (without script, the page refreshes itself).

export const TANDEM_JS = `
function showResponse(xhr) {
  if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL && xhr.responseURL !== location.href) {
    location.assign(xhr.responseURL);
    return;
  }
  var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
  document.title = doc.title;
  document.body.replaceWith(document.adoptNode(doc.body));
  var focus = document.querySelector('.govuk-error-summary') || document.querySelector('h1');
  if (focus) { focus.setAttribute('tabindex', '-1'); focus.focus(); }
}

function enhanceUpload(form) {
  form.addEventListener('submit', function (event) {
    if (!window.FormData || !window.XMLHttpRequest) return;
    event.preventDefault();
    var box = form.querySelector('.tandem-upload-progress');
    var bar = box && box.querySelector('progress');
    if (box) box.hidden = false;
    var button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', function (e) {
      if (bar && e.lengthComputable) bar.value = Math.floor((e.loaded * 100) / e.total);
    });
    xhr.addEventListener('load', function () { showResponse(xhr); });
    xhr.addEventListener('error', function () { form.submit(); });
    xhr.send(new FormData(form));
  });
}

function followJob(box) {
  var url = box.getAttribute('data-status');
  var bar = box.querySelector('progress');
  var text = box.querySelector('#import-progress-text');
  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) return;
        if (s.state !== 'running') { location.reload(); return; }
        if (bar) bar.value = s.percent;
        if (text) text.textContent = 'Importing: ' + s.percent + '% of the file read.';
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 300);
}

document.querySelectorAll('[data-module="tandem-upload"]').forEach(enhanceUpload);
document.querySelectorAll('[data-module="tandem-import-progress"]').forEach(followJob);
`;
