(() => {
  // Chunks of each page group (written by `cargo xtask dist`; empty in development).
  const chunkFiles = /*bazaar-chunk-files*/{};
  const groupOf = window.__bazaarShell.groupOf;
  const fetched = new Set();
  const fetchChunks = (path, rel) => {
    const group = groupOf(path);
    (chunkFiles[group] || []).forEach((href) => {
      if (fetched.has(href)) return;
      fetched.add(href);
      const link = document.createElement('link');
      link.rel = rel;
      link.as = 'fetch';
      link.crossOrigin = 'anonymous';
      link.href = href;
      document.head.appendChild(link);
    });
  };
  // A group's files one after another in a few bundles of up to 64 KB, and where each is
  // in them (`spa_chunks::write_bundles`): a few requests instead of 20–40, each a round
  // trip. A larger file is fetched on its own, beside them.
  const chunkBundles = /*bazaar-chunk-bundles*/{};
  // A chunk's URL path → the promise of its bytes, cut out of a bundle on its way.
  const bundledChunks = new Map();
  const fetchBundles = (group) => (chunkBundles[group] || []).forEach((bundle) => {
    if (bundle.parts.some(([href]) => fetched.has(href))) return;
    const bytes = fetch(bundle.href).then((response) => {
      if (!response.ok) throw new Error(bundle.href + ': ' + response.status);
      return response.arrayBuffer();
    });
    bytes.catch(() => {});
    bundle.parts.forEach(([href, offset, length]) => {
      fetched.add(href);
      bundledChunks.set(href, bytes.then((all) => all.slice(offset, offset + length)));
    });
  });
  // wasm-split's loader fetches each chunk through this (the dist build rewrites its
  // `fetch`): a chunk from a bundle, else from the network. A failed bundle is no loss:
  // the chunk is then fetched on its own.
  const chunk = (url) => {
    const path = new URL(url, location.href).pathname;
    const bytes = bundledChunks.get(path);
    if (!bytes) return fetch(url);
    bundledChunks.delete(path);
    return bytes.then((body) => new Response(body, { headers: { 'Content-Type': 'application/wasm' } }), () => fetch(url));
  };
  // The page opened by its address needs its chunks, but not before the shell is on
  // screen: the shell's script below starts them right after its first frame (the main
  // module is far longer on the way, so nothing waits for them; Lighthouse's simulation
  // would otherwise count them into the first paint). A link's page probably soon.
  const preloadChunks = () => {
    fetchBundles(groupOf(location.pathname));
    fetchChunks(location.pathname, 'preload');
  };
  const onIntent = (event) => {
    const link = event.target.closest && event.target.closest('a[href^="/"]');
    if (link) fetchChunks(new URL(link.href).pathname, 'prefetch');
  };
  document.addEventListener('pointerover', onIntent, { passive: true });
  document.addEventListener('focusin', onIntent);
  // In idle time once the app has taken over (no shell left), the chunks of the pages
  // the content links to (a result's product page, an order's checkout) are fetched
  // ahead; the header's links wait for a pointer or the focus. Not when the reader
  // asked to save data or the connection is 2G.
  const idle = window.requestIdleCallback || ((callback) => setTimeout(callback, 200));
  const connection = navigator.connection || {};
  const saveData = connection.saveData || /2g/.test(connection.effectiveType || '');
  const prefetchContentLinks = () => {
    if (document.querySelector('[data-shell]')) { setTimeout(() => idle(prefetchContentLinks), 500); return; }
    document.querySelectorAll('main a[href^="/"]').forEach((link) => fetchChunks(new URL(link.href).pathname, 'prefetch'));
  };
  // Again after each navigation of the app (a link, a search, Back), for the new content.
  const schedulePrefetch = () => setTimeout(() => idle(prefetchContentLinks), 1000);
  if (!saveData) ['load', 'click', 'submit', 'popstate'].forEach((type) => addEventListener(type, schedulePrefetch, { passive: true }));

  const search = window.__bazaarShell.search;
  const searchQuery = () => search.queryString(search.parse(location.search));
  const firstRequests = (path) => {
    const paths = ['/session'];
    if (path === '/') paths.push('/products/popular?limit=8', '/categories');
    if (path === '/products') paths.push('/products?' + searchQuery());
    const product = /^\/products\/(\d{1,15})$/.exec(path);
    if (product) paths.push('/products/' + Number(product[1]));
    return paths;
  };
  const early = { href: location.href, responses: {}, search, preloadChunks, chunk, chunkBundles };
  window.__bazaarEarly = early;
  // The page's first API requests, at the API's address `base`; what the shell draws
  // from is named (`early.catalog`, `early.product`, `early.home`).
  let startedAt = null;
  const startFirstRequests = (base) => {
    startedAt = base;
    firstRequests(location.pathname).forEach((path) => {
      early.responses[base + path] = fetch(base + path, { credentials: 'include', headers: { Accept: 'application/json' } });
    });
    if (location.pathname === '/products') early.catalog = early.responses[base + '/products?' + searchQuery()];
    const product = /^\/products\/(\d{1,15})$/.exec(location.pathname);
    if (product) early.product = early.responses[base + '/products/' + Number(product[1])];
    if (location.pathname === '/') early.home = ['/products/popular?limit=8', '/categories'].map((path) => early.responses[base + path]);
  };
  const apiBase = (text) => String(text || '/api/v1').replace(/\/+$/, '');
  // Our server writes config.json's address into a <meta> (`static_files::with_api_base`),
  // so the requests need not wait a round trip for config.json; served from elsewhere
  // (a CDN), the page has no such <meta> and they start once config.json has arrived.
  const known = document.querySelector('meta[name="bazaar-api-base"]');
  if (known) startFirstRequests(apiBase(known.content));
  // The app's configuration answer is handed over only once the API requests are on
  // their way, so the app never asks for one of them itself first. A config.json that
  // names another address than the <meta> (edited since the server started) wins.
  early.responses['/config.json'] = fetch('/config.json').then(async (response) => {
    const settings = await response.clone().json().catch(() => ({}));
    const base = apiBase(settings && settings.api_base_url);
    if (base !== startedAt) startFirstRequests(base);
    return response;
  });
  // When the answers the shell draws from are known.
  early.firstRequests = known ? Promise.resolve() : early.responses['/config.json'];
})();
