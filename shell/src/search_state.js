// The catalog's search as `src/url_state.rs`'s `SearchState` keeps it (key → comma-joined
// values) and changes it; the loader and the results page read it. Checked against the
// app's own answers in shell/test/search_state.test.js.
(() => {
  const shell = window.__bazaarShell;
  // As the app's `encode`: bytes outside A–Z a–z 0–9 - _ . ~ as %XX.
  const encode = (text) => Array.from(new TextEncoder().encode(text), (byte) =>
    /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte)
      : '%' + byte.toString(16).toUpperCase().padStart(2, '0')).join('');
  const parse = (query) => {
    const state = {};
    new URLSearchParams(query).forEach((value, key) => {
      value = value.trim();
      if (value && (shell.searchKeys.includes(key) || key.startsWith('a_'))) state[key] = value;
    });
    return state;
  };
  const queryString = (state) => Object.keys(state).sort()
    .map((key) => encode(key) + '=' + encode(state[key]).replace(/%2C/g, ',')).join('&');
  const values = (state, key) => (state[key] || '').split(',').filter((value) => value);
  // `SearchState::with`: any change but the page's goes back to page 1; another category
  // forgets the previous one's own fields.
  const withValue = (state, key, value) => {
    const next = { ...state };
    if (value) next[key] = value; else delete next[key];
    if (key !== 'page') delete next.page;
    if (key === 'category') Object.keys(next).forEach((name) => { if (name.startsWith('a_')) delete next[name]; });
    return next;
  };
  const toggled = (state, key, value) => {
    const list = values(state, key);
    const at = list.indexOf(value);
    if (at >= 0) list.splice(at, 1); else list.push(value);
    return withValue(state, key, list.join(','));
  };
  const href = (state) => {
    const query = queryString(state);
    return query ? '/products?' + query : '/products';
  };
  const hasFilters = (state) => Object.keys(state).some((key) => !['q', 'sort', 'page'].includes(key));
  const cleared = (state) => (state.q ? { q: state.q } : {});
  shell.search = { parse, queryString, values, withValue, toggled, href, hasFilters, cleared };
})();
