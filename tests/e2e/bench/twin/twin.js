// Renders /api/v1/products for this page's query string as the catalog results page does:
// the facets, the count and sort bar, and the product cards.
const words = {
  saas: 'SaaS', image: 'Image', license: 'License', professional_service: 'Professional service',
  consulting: 'Consulting', yearly_monthly: 'Yearly/monthly', pay_per_use: 'Pay-per-use', one_off: 'One-off',
};
const unit = { yearly_monthly: '/month', pay_per_use: '/hour', one_off: '' };
const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const money = (price) => '¥' + (price.amount_minor / 100).toLocaleString('en', { minimumFractionDigits: 2 });
const option = (type, label, count) =>
  `<label class="facet__option"><input type="${type}"><span class="facet__label">${escape(label)}</span><span class="facet__count">${count}</span></label>`;
const facet = (title, type, values, label) =>
  `<fieldset class="facet"><legend class="facet__title">${title}</legend>${values.map((v) => option(type, label(v), v.count)).join('')}</fieldset>`;
const card = (p) => `<article class="product-card" data-testid="product-card">
  <h3 class="product-card__name"><a href="/products/${p.id}">${escape(p.name)}</a></h3>
  <p class="product-card__seller">by ${escape(p.seller.name)}</p>
  <p class="product-card__summary">${escape(p.summary)}</p>
  <ul class="badges" role="list"><li class="badge">${words[p.delivery_method]}</li>
  ${p.supervised ? '<li class="badge badge--supervised">Service supervision</li>' : ''}
  ${p.free_trial ? '<li class="badge badge--trial">Free trial</li>' : ''}</ul>
  <p class="product-card__price">From ${money(p.price_from)}${unit[p.price_from_mode] ?? ''}</p></article>`;

const response = await fetch('/api/v1/products' + location.search, { headers: { Accept: 'application/json' } });
const results = await response.json();
const f = results.facets;
document.getElementById('twin-results').innerHTML = `
  <details class="filters" open><summary class="filters__summary">Filters</summary>
    ${facet('Category', 'radio', f.categories, (v) => v.label.en)}
    ${f.attributes.map((a) => facet(escape(a.name.en), 'checkbox', a.values, (v) => v.label.en)).join('')}
    ${facet('Delivery method', 'checkbox', f.delivery_methods, (v) => words[v.value])}
    ${facet('Billing mode', 'checkbox', f.billing_modes, (v) => words[v.value])}
    ${facet('Price', 'checkbox', f.price_ranges, (v) => v.value)}
    ${facet('Seller', 'checkbox', f.sellers, (v) => v.label.en)}
  </details>
  <section class="results"><div class="results__bar"><h2 class="results__count"><span role="status">${results.total} products</span></h2>
    <label class="results__sort"><span>Sort by</span><select class="field__select"><option>Relevance</option></select></label></div>
    <div class="product-grid" data-testid="results-ready">${results.items.map(card).join('')}</div></section>`;
