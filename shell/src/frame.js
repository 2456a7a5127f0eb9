(() => {
  // Shows the shell once it is in its final shape; also if this script fails half-way.
  const revealShell = () => { delete document.documentElement.dataset.shellPending; };
  addEventListener('error', revealShell, { once: true });
  const shell = window.__bazaarShell;
  const words = shell.words;
  // The same choice as `i18n::initial_locale`: remembered, else the browser's language.
  const storageKey = shell.localeKey;
  let remembered = null;
  try { remembered = localStorage.getItem(storageKey); } catch (_) {}
  let language = words[remembered] ? remembered
    : (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  const showLanguage = () => {
    const table = words[language];
    document.documentElement.lang = language;
    document.title = table.app_name;
    document.querySelectorAll('[data-shell-text]').forEach((node) => { node.textContent = table[node.dataset.shellText]; });
    document.querySelectorAll('[data-shell-placeholder]').forEach((node) => { node.placeholder = table[node.dataset.shellPlaceholder]; });
    document.querySelectorAll('[data-shell-label]').forEach((node) => { node.setAttribute('aria-label', table[node.dataset.shellLabel]); });
    const other = language === 'en' ? 'zh-CN' : 'en';
    const switcher = document.getElementById('shell-language');
    switcher.textContent = table.language_switch_to;
    switcher.lang = other;
    switcher.setAttribute('aria-label', table.language_label + ': ' + table.language_switch_to);
  };
  // The account signed in on the last visit (`session::REMEMBERED_ACCOUNT_KEY`): its
  // header is drawn now, inert, so nothing shifts when the app takes over.
  let rememberedAccount = null;
  try { rememberedAccount = localStorage.getItem(shell.accountKey); } catch (_) {}
  if (rememberedAccount) {
    const tools = document.querySelector('.site-header[data-shell] .site-header__tools');
    const bell = document.createElement('span');
    bell.className = 'bell';
    bell.setAttribute('aria-hidden', 'true');
    bell.innerHTML = '<svg class="bell__icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" /><path d="M13.7 21a2 2 0 0 1-3.4 0" /></svg>';
    const name = document.createElement('span');
    name.className = 'site-header__account';
    name.textContent = rememberedAccount;
    const logOut = document.createElement('button');
    logOut.type = 'button';
    logOut.className = 'button button--quiet';
    logOut.disabled = true;
    logOut.dataset.shellText = 'log_out';
    tools.append(bell, name, logOut);
  } else {
    // As the app's header does for a visitor not known to be signed in.
    const logIn = document.createElement('a');
    logIn.href = '/login';
    logIn.className = 'button button--primary';
    logIn.dataset.shellText = 'log_in';
    document.querySelector('.site-header[data-shell] .site-header__tools').append(logIn);
  }
  // Pages whose heading does not wait for data get it in the shell (the app's words,
  // compared by shell.spec.ts), in a box the size of the app's h1.
  const titleKey = ((path) => {
    if (/^\/purchase\/\d+$/.test(path)) return 'title_checkout';
    return { '/orders': 'title_orders', '/apps': 'title_apps', '/renewals': 'title_renewals',
      '/favorites': 'title_favorites', '/login': 'title_login' }[path] || null;
  })(location.pathname);
  if (titleKey) {
    const placeholder = document.querySelector('main[data-shell] .shell__heading');
    const heading = document.createElement('h1');
    heading.className = 'shell__heading';
    heading.dataset.shellText = titleKey;
    placeholder.replaceWith(heading);
  }
  showLanguage();
  // As the app's links do: the section being shown is marked, the catalog query shown.
  const here = location.pathname;
  document.querySelectorAll('.main-nav__list a').forEach((link) => {
    const target = link.getAttribute('href');
    if (here === target || here.startsWith(target + '/')) link.setAttribute('aria-current', 'page');
  });
  if (here === '/products') document.getElementById('shell-search').value = new URLSearchParams(location.search).get('q') || '';
  revealShell();
  // Once this frame is painted: the page's wasm chunks (the loader in <head>), and the
  // app may replace the shell (`early_responses::shell_painted`; a fast, cached start
  // would otherwise replace it unseen). A hidden tab paints no frames: 100 ms at most.
  const early = window.__bazaarEarly;
  if (early) {
    early.shellPainted = Promise.race([
      new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve))),
      new Promise((resolve) => setTimeout(resolve, 100)),
    ]);
    // Where the shell draws the page's content from an early answer (below), after
    // that: the chunks would otherwise share the connection with that answer, and
    // Lighthouse's simulation counts every download started before the largest paint.
    // An app ready sooner starts them itself (`early_responses::preload_chunks_now`).
    early.shellPainted.then(() => early.contentDrawn).then(early.preloadChunks);
  }
  document.getElementById('shell-language').addEventListener('click', () => {
    language = language === 'en' ? 'zh-CN' : 'en';
    try { localStorage.setItem(storageKey, language); } catch (_) {}
    showLanguage();
    // An app already mounted out of sight (while this shell shows the page) follows.
    dispatchEvent(new Event('bazaar-shell-language'));
  });
})();
