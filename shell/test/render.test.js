// The shell's markup builders: money as `Money::display`, stars as `half_stars`, and the
// pages' structure for sample answers (escaping, masked contacts, filters' addresses).
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadShell, vectors } = require('./load.js');

const shell = loadShell();
const { render } = shell;
const text = (en, zh = en) => ({ en, zh });
const card = {
  id: 7, name: 'Vault <Pro>', summary: 'Secrets & keys', seller: { name: 'BluePeak' }, delivery_method: 'saas',
  supervised: true, free_trial: false, price_from: { amount_minor: 29900, currency: 'CNY' },
  price_from_mode: 'yearly_monthly', rating: { average_tenths: 43, count: 12 },
};

test('money is written as the app writes it', () => {
  assert.ok(vectors.money.length > 10);
  for (const [amount_minor, currency, expected] of vectors.money) {
    assert.equal(render.money({ amount_minor, currency }), expected, `${amount_minor} ${currency}`);
  }
});

test('stars fill to the nearest half as the app fills them', () => {
  for (const [tenths, half] of vectors.half_stars) assert.equal(render.halfStars(tenths), half, `${tenths}`);
});

test('a card escapes what sellers wrote and speaks the rating in the reader\'s language', () => {
  const english = render.productCard(card, 'en');
  assert.match(english, /<a href="\/products\/7">Vault &lt;Pro&gt;<\/a>/);
  assert.match(english, /Secrets &amp; keys/);
  assert.match(english, /Rated 4\.3 of 5, 12 reviews/);
  assert.match(english, /rating-stars__icons--9/);
  assert.match(english, /From ¥299\.00\/month/);
  assert.match(english, /badge--supervised/);
  assert.doesNotMatch(english, /badge--trial/);
  const chinese = render.productCard(card, 'zh-CN');
  assert.match(chinese, /评分 4\.3（满分 5 分），12 条评价/);
  assert.doesNotMatch(render.productCard({ ...card, rating: null }, 'en'), /rating-stars/);
});

test('a product page masks the contact it was given masked, and links it otherwise', () => {
  const detail = {
    ...card, category: 'security', category_name: text('Security', '安全'), description: 'Keeps secrets.',
    usage_guide: 'Step one\r\nStep two\n', attributes: [], regions: ['cn-north-4', 'xx-unknown-1'],
    trial_days: 14, service_period_days: null, summary: 'Secrets',
    seller_contact: { name: 'BluePeak', email: 'o***@bluepeak.example', phone: '138****0000', support_hours: '9–18', masked: true },
  };
  const masked = render.product(detail, 'en');
  assert.equal(masked.title, 'Vault <Pro>');
  assert.match(masked.markup, /data-testid="seller-contact-masked"/);
  assert.doesNotMatch(masked.markup, /mailto:/);
  assert.match(masked.markup, /<p>Step one<\/p><p>Step two<\/p><\/div>/);
  assert.match(masked.markup, /Beijing, xx-unknown-1/);
  assert.match(masked.markup, /14-day free trial/);
  const known = render.product({ ...detail, seller_contact: { ...detail.seller_contact, masked: false, email: 'ops@bluepeak.example' } }, 'zh-CN');
  assert.match(known.markup, /<a href="mailto:ops@bluepeak.example">/);
  assert.match(known.markup, /北京/);
});

test('a price bound shows in whole yuan, as the app\'s price form shows it', () => {
  for (const [minor, typed] of vectors.price_bounds) assert.equal(render.typedPrice(minor), typed, JSON.stringify(minor));
});

// Attribute order aside (the app writes `class` last), and the space the native rendering
// keeps for an empty text, markup equal to the component's.
const normalized = (html) => html
  .replace(/<([a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>/g, (_, name, attributes) =>
    '<' + name + (attributes.match(/[a-z-]+(?:="[^"]*")?/g) || []).sort().map((attribute) => ' ' + attribute).join('') + '>')
  .replace(/> <\//g, '></')
  .replace(/&quot;/g, '"').replace(/&#39;/g, "'");

test('a card is the ProductCard component\'s markup, for every sample in both languages', () => {
  const samples = vectors.markup.product_card;
  assert.ok(samples.length >= 8);
  for (const { language, product, html } of samples) {
    assert.equal(normalized(render.productCard(product, language)), normalized(html), `${language} ${JSON.stringify(product)}`);
  }
});

test('a product\'s information is the ProductInformation component\'s markup, in both languages', () => {
  const samples = vectors.markup.product_information;
  assert.ok(samples.length >= 4);
  for (const { language, product, html } of samples) {
    const drawn = render.productInformation(product, language);
    assert.equal(normalized(drawn), normalized(html), `${language} ${product.name}`);
  }
});

test('a product\'s header is the ProductHeader component\'s markup, in both languages', () => {
  const samples = vectors.markup.product_header;
  assert.ok(samples.length >= 4);
  for (const { language, product, html } of samples) {
    assert.equal(normalized(render.productHeader(product, language)), normalized(html), `${language} ${product.name}`);
  }
});

test('the home page is HomeLayout with PopularProducts and CategoryTiles, in both languages', () => {
  const samples = vectors.markup.home;
  assert.equal(samples.length, 2);
  for (const { language, popular, categories, html } of samples) {
    assert.equal(normalized(render.home([popular, categories], language).markup), normalized(html), language);
  }
});

test('the phone\'s buy bar is the PhoneBuyBar component\'s markup, its button waiting', () => {
  const samples = vectors.markup.phone_buy_bar;
  assert.ok(samples.length >= 8);
  for (const { language, product, html } of samples) {
    assert.equal(normalized(render.phoneBuyBar(product, language)), normalized(html), `${language} ${JSON.stringify(product)}`);
    assert.match(html, /disabled/);
  }
});

test('the results page is CatalogFrame around Results, every control carrying the answer\'s address', () => {
  const samples = vectors.markup.results;
  assert.equal(samples.length, 6);
  for (const { language, query, answer, wide, html } of samples) {
    const state = shell.search.parse(query);
    const { title, markup } = render.results(answer, state, language, wide);
    const content = markup.replace(/^<div class="catalog"><h1 tabindex="-1" class="">[^<]*<\/h1>/, '').replace(/<\/div>$/, '');
    assert.equal(normalized(content), normalized(html), `${language} ${query}`);
    assert.equal(title, state.q ? render.wordsIn(language).results_for(state.q) : render.wordsIn(language).catalog_title);
  }
  const [full] = samples;
  const drawn = render.results(full.answer, shell.search.parse(full.query), 'en', true).markup;
  assert.match(drawn, /<h1 tabindex="-1" class="">Results for “a&amp;b &lt;c&gt;”<\/h1>/);
  // Unchecking the chosen seller leads to the search without it (core's answer, not the shell's).
  assert.match(drawn, /checked data-href="\/products\?a_engine=mysql,maria&amp;billing=one_off&amp;category=databases&amp;delivery=image&amp;price_max=9999&amp;price_min=0&amp;q=a%26b%20%3Cc%3E&amp;rating_min=4&amp;sort=price_desc&amp;trial=true"/);
  assert.match(drawn, /rel="prev">Previous<\/a><span aria-current="page">Page 2 of 3<\/span>/);
});

test('a product page is ProductLayout around the header, the information and the buy bar, its options waiting', () => {
  const samples = vectors.markup.product_page;
  assert.ok(samples.length >= 4);
  for (const { language, product, html } of samples) {
    const { title, markup } = render.product(product, language);
    assert.equal(normalized(markup), normalized(html), `${language} ${product.name}`);
    assert.equal(title, product.name);
  }
});
