// The first page's content drawn before the app: the home page, the catalog results, or a
// product's description, from the loader's API answer (markup: shell/src/render.js). Until
// the app takes over, these pages work as plain web pages: products, categories and pages
// are links, and a filter, the sort order or the price form loads the new address.
(() => {
  const early = window.__bazaarEarly;
  const shell = window.__bazaarShell;
  const search = shell.search;
  const main = document.querySelector('main[data-shell]');
  const productId = (/^\/products\/(\d{1,15})$/.exec(location.pathname) || [])[1];
  const home = location.pathname === '/';
  if (!early || !main || (location.pathname !== '/products' && !productId && !home)) return;
  const state = search.parse(location.search);
  const show = ({ title, markup }, language) => {
    document.title = title + ' — ' + shell.render.wordsIn(language).app_name;
    main.removeAttribute('aria-busy');
    main.dataset.shellContent = '';
    main.innerHTML = markup;
  };
  if (!productId) {
    // Until the app takes over, a results page's control loads the address the search
    // answer named for it (its `data-href`, as the app follows it): an option or the sort
    // menu's choice when changed, a button when clicked.
    main.addEventListener('change', (event) => {
      const target = event.target;
      const control = target.tagName === 'SELECT' ? target.selectedOptions[0] : target;
      if (control && control.dataset.href) location.assign(control.dataset.href);
    });
    main.addEventListener('click', (event) => {
      const button = event.target.closest('button');
      if (!button) return;
      if (button.dataset.href) location.assign(button.dataset.href);
      // The sellers beyond the first ones, folded and shown again (the app's `MoreSellers`).
      if (button.hasAttribute('aria-expanded')) {
        const showing = button.getAttribute('aria-expanded') !== 'true';
        button.setAttribute('aria-expanded', String(showing));
        const options = button.parentElement.querySelectorAll('.facet__option');
        button.parentElement.querySelectorAll('.facet__option--collapsed, [data-shell-collapsed]').forEach((option) => {
          option.classList.toggle('facet__option--collapsed', !showing);
          option.toggleAttribute('data-shell-collapsed', showing);
        });
        const t = shell.render.wordsIn(document.documentElement.lang);
        button.textContent = showing ? t.filter_fewer_sellers : t.filter_more_sellers(options.length);
      }
    });
    // The price form: the typed bounds, in hundredths, in the search without them.
    main.addEventListener('submit', (event) => {
      event.preventDefault();
      const form = event.target;
      const address = new URL(form.dataset.href || location.href, location.href);
      const next = search.parse(address.search);
      ['price_min', 'price_max'].forEach((name) => {
        const minor = search.typedPriceToMinor(form.elements[name].value);
        if (minor === null) delete next[name]; else next[name] = minor;
      });
      const query = search.queryString(next);
      location.assign(address.pathname + (query ? '?' + query : ''));
    });
  }
  let answer = null;
  // Settled once the content is painted, or given up on (no answer, an error, 3 s).
  let contentPainted;
  early.contentDrawn = new Promise((resolve) => { contentPainted = resolve; setTimeout(resolve, 3000); });
  const render = productId ? shell.render.product : home ? shell.render.home
    : (results, language) => shell.render.results(results, state, language, innerWidth >= 900);
  const draw = () => {
    const language = document.documentElement.lang;
    if (answer && document.contains(main)) show(render(answer, language), language);
  };
  // The language switch of the shell redraws the page in the other language.
  document.getElementById('shell-language').addEventListener('click', draw);
  early.firstRequests
    .then(() => (productId ? early.product : home ? Promise.all(early.home || []) : early.catalog))
    // The home page needs both of its answers; a page whose answer failed keeps its skeleton.
    .then((answers) => (Array.isArray(answers)
      ? (answers.length && answers.every((response) => response.ok) ? Promise.all(answers.map((response) => response.clone().json())) : null)
      : (answers && answers.ok ? answers.clone().json() : null)))
    .then((results) => { answer = results; draw(); })
    .catch(() => {})
    // A hidden tab paints no frames: 250 ms at most.
    .then(() => { requestAnimationFrame(() => setTimeout(contentPainted)); setTimeout(contentPainted, 250); });
})();
