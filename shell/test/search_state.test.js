// The catalog's URL state against core's `SearchState` answers for the same input.
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadShell, vectors } = require('./load.js');

const { search } = loadShell(['tables.js', 'search_state.js']);
const queryOf = (pairs) => new URLSearchParams(pairs).toString();

test('parsing keeps the search\'s own parameters, written back in the app\'s order and encoding', () => {
  assert.ok(vectors.search.length >= 4);
  for (const sample of vectors.search) {
    assert.equal(search.queryString(search.parse(queryOf(sample.pairs))), sample.query, JSON.stringify(sample.pairs));
  }
});

test('a typed price bound is sent in hundredths, as the app\'s price form sends it', () => {
  assert.ok(vectors.typed_prices.length >= 8);
  for (const [typed, minor] of vectors.typed_prices) assert.equal(search.typedPriceToMinor(typed), minor, JSON.stringify(typed));
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
