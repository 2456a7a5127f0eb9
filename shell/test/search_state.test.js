// The catalog's URL state against `url_state::SearchState`'s answers for the same input.
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadShell, vectors } = require('./load.js');

const { search } = loadShell(['tables.js', 'search_state.js']);
const queryOf = (pairs) => new URLSearchParams(pairs).toString();

test('parsing keeps the search\'s own parameters, written back in the app\'s order and encoding', () => {
  assert.ok(vectors.search.length >= 4);
  for (const sample of vectors.search) {
    const state = search.parse(queryOf(sample.pairs));
    assert.equal(search.queryString(state), sample.query, JSON.stringify(sample.pairs));
    assert.equal(search.href(state), sample.href);
    assert.equal(search.hasFilters(state), sample.has_filters);
    assert.equal(search.href(search.cleared(state)), sample.cleared);
  }
});

test('a change leads where the app\'s change leads', () => {
  for (const sample of vectors.search) {
    const state = search.parse(queryOf(sample.pairs));
    for (const [key, value, href] of sample.with) {
      assert.equal(search.href(search.withValue(state, key, value)), href, `with ${key}=${value} on ${sample.href}`);
    }
    for (const [key, value, href] of sample.toggled) {
      assert.equal(search.href(search.toggled(state, key, value)), href, `toggled ${key}=${value} on ${sample.href}`);
    }
  }
});

test('the state a change starts from is left as it was', () => {
  const state = search.parse('category=databases&a_engine=mysql&page=3');
  search.withValue(state, 'category', 'analytics');
  assert.deepEqual({ ...state }, { category: 'databases', a_engine: 'mysql', page: '3' });
});

test('a path is in the chunk group of the app\'s route that matches it', () => {
  const shell = loadShell(['tables.js', 'routes.js']);
  assert.equal(shell.groupOf('/'), 'home_pages');
  assert.equal(shell.groupOf('/products'), 'catalog_pages');
  assert.equal(shell.groupOf('/products/12'), 'product_pages');
  assert.equal(shell.groupOf('/orders/5/pay'), 'buying_pages');
  assert.equal(shell.groupOf('/invoices'), 'app_pages');
  assert.equal(shell.groupOf('/supervision/templates'), 'supervision_pages');
  assert.equal(shell.groupOf('/operations/tickets'), 'support_pages');
  assert.equal(shell.groupOf('/nowhere'), null);
  assert.equal(shell.groupOf('/products/12/more'), null);
});
