// The catalog's search as its query string, as core's `SearchState` writes it (key →
// comma-joined values, keys in order, the app's percent-encoding), for the loader's first
// request; and a typed price bound in hundredths, as the app's price form sends it. Where a
// filter, a sort order or a page leads is no concern of the shell: the search answer names
// each (`links`, each facet's `query`). Checked against the app's own answers in
// shell/test/search_state.test.js.
(() => {
  const shell = window.__bazaarShell;
  // As core's `encode`: bytes outside A–Z a–z 0–9 - _ . ~ as %XX.
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
  // As core's `typed_price_to_minor`: whole yuan typed, hundredths sent; null for nothing
  // typed or no amount.
  const typedPriceToMinor = (typed) => {
    const text = String(typed).trim();
    const value = Number(text);
    return text && Number.isFinite(value) && value >= 0 ? String(Math.round(value * 100)) : null;
  };
  shell.search = { parse, queryString, typedPriceToMinor };
})();
