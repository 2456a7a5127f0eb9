// The shell stays invisible until the loader below has put in the reader's language, the
// remembered account and the current section (Chromium may paint before that script
// runs, and every change after a paint is a layout shift); style/main.css shows it
// anyway after 1.5 s, should the loader never run.
document.documentElement.dataset.shellPending = '';
try { if (localStorage.getItem(window.__bazaarShell.accountKey)) document.documentElement.dataset.signedIn = ''; } catch (_) {}
