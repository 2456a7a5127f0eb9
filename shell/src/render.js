// The markup of the three pages the shell draws before the app (home, catalog results, a
// product's description), as strings: the app's elements, classes and words
// (`window.__bazaarShell.words`, generated from the app's i18n tables). Pure functions of
// an API answer, a language and the search state; shell/src/content.js puts them on screen.
// shell/test/render.test.js holds the card and the product's information to the Leptos
// components rendered natively (src/shell_vectors.rs); shell.spec.ts compares whole pages
// with the app's in both languages.
(() => {
  const shell = window.__bazaarShell;
  const search = shell.search;
  const escape = (text) => String(text).replace(/[&<>"']/g, (c) =>
    ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  // As `Money::display`, by core's `DISPLAY_FORMAT` (in words.js): "¥1,234.56", "-¥3.00".
  const money = (price) => {
    const format = shell.moneyFormat;
    const minor = Math.abs(price.amount_minor);
    const digits = String(Math.floor(minor / 100));
    const units = digits.replace(new RegExp('\\B(?=(\\d{' + format.groupDigits + '})+(?!\\d))', 'g'), format.thousandsSeparator);
    return (price.amount_minor < 0 ? format.minus : '') + (shell.currencySymbols[price.currency] || '')
      + units + format.decimalPoint + String(minor % 100).padStart(2, '0');
  };
  const wordsIn = (language) => shell.words[language] || shell.words.en;
  const pickIn = (language) => (text) => (text ? (language === 'zh-CN' ? text.zh : text.en) : '');

  // A product's stars (src/components/rating_stars.rs): filled to the nearest half star;
  // the average as `Rating::average_text` writes it.
  const halfStars = (tenths) => Math.min(10, Math.floor((tenths + 2) / 5));
  const average = (rating) => Math.floor(rating.average_tenths / 10) + '.' + (rating.average_tenths % 10);
  // As Rust's `str::lines`: no last empty line, no carriage returns.
  const lines = (text) => {
    const all = text.split('\n').map((line) => line.replace(/\r$/, ''));
    if (all[all.length - 1] === '') all.pop();
    return all;
  };
  const helpers = { escape, money, halfStars, average, lines };
  const templatesIn = (language) => shell.templates[language] || shell.templates.en;
  // A component's template (templates.js, generated from the component by
  // src/shell_templates) as a function of its data and the language.
  const component = (name) => (data, language) => templatesIn(language)[name](data, wordsIn(language), helpers);

  // A product in a list (src/components/product_card.rs); a product page's header and what
  // it says about the product (src/pages/product/information.rs); the phone's buy bar, its
  // button waiting for the app (src/pages/product/mod.rs).
  const productCard = component('productCard');
  helpers.productCard = productCard;
  const productHeader = component('productHeader');
  const productInformation = component('productInformation');
  const phoneBuyBar = component('phoneBuyBar');

  // The home page: `HomeLayout` around `PopularProducts` and `CategoryTiles`, templates
  // generated from src/pages/home.rs.
  const home = ([popular, categories], language) => {
    const parts = { popular: component('popularProducts')(popular, language), categories: component('categoryTiles')(categories, language) };
    return { title: wordsIn(language).home_title, markup: component('homeLayout')(parts, language) };
  };

  // The product page (src/pages/product): header, what the seller says, and the buy bar;
  // a grey box where the options will be (the app's own come with the wasm).
  const product = (p, language) => ({ title: p.name, markup: '<article class="product-page">' + productHeader(p, language)
    + '<div class="product-page__layout">' + productInformation(p, language)
    + '<div class="configurator card" aria-hidden="true"><span class="skeleton skeleton--title"></span><span class="skeleton"></span>'
    + '<span class="skeleton"></span><span class="skeleton skeleton--short"></span></div></div>'
    + phoneBuyBar(p, language) + '</article>' });

  // The catalog's filter panel (src/pages/products/facets.rs): each option carries the
  // address it leads to, loaded when it changes until the app takes over.
  const filters = (f, state, t, pick, open) => {
    const href = (next) => escape(search.href(next));
    // `empty` greys an option out; `collapsed` hides a seller beyond the first eight.
    const option = (type, name, label, count, checked, next, empty = count === 0 && !checked, collapsed = false) =>
      '<label class="facet__option' + (empty ? ' facet__option--empty' : '') + (collapsed ? ' facet__option--collapsed' : '') + '">'
      + '<input type="' + type + '"' + (name ? ' name="' + name + '"' : '') + (checked ? ' checked' : '')
      + ' data-shell-href="' + href(next) + '"><span class="facet__label">' + escape(label) + '</span>'
      + '<span class="facet__count">' + count + '</span></label>';
    const group = (title, options, extra) =>
      '<fieldset class="facet' + (extra || '') + '"><legend class="facet__title">' + escape(title) + '</legend>' + options + '</fieldset>';
    const checkboxes = (key, list, label) => list.map((facet) => option('checkbox', null, label(facet), facet.count,
      search.values(state, key).includes(facet.value), search.toggled(state, key, facet.value))).join('');
    const sellers = f.sellers.map((facet, index) => option('checkbox', null, pick(facet.label), facet.count, facet.selected,
      search.toggled(state, 'seller', facet.value), undefined, index >= 8 && !facet.selected)).join('');
    const yuan = (key) => (/^-?\d+$/.test(state[key] || '') ? String(Math.trunc(Number(state[key]) / 100)) : '');
    const flag = (label, facet, key, value) => option('checkbox', null, label, facet.count, facet.selected,
      search.withValue(state, key, facet.selected ? null : value), false);
    const clear = search.hasFilters(state) ? '<button type="button" class="button button--quiet button--small" data-shell-href="'
      + href(search.cleared(state)) + '">' + escape(t.filter_clear) + '</button>' : '';
    return '<details class="filters"' + (open ? ' open' : '') + '>'
      + '<summary class="filters__summary">' + escape(t.filters_heading) + '</summary>' + clear
      + group(t.filter_category, '<label class="facet__option"><input type="radio" name="category"' + (state.category ? '' : ' checked')
        + ' data-shell-href="' + href(search.withValue(state, 'category', null)) + '"><span class="facet__label">' + escape(t.filter_all_categories) + '</span></label>'
        + f.categories.map((facet) => option('radio', 'category', pick(facet.label) || facet.value, facet.count, facet.selected,
          search.withValue(state, 'category', facet.value), facet.count === 0)).join(''))
      + f.attributes.map((attribute) => group(pick(attribute.name), attribute.values.map((facet) =>
        option('checkbox', null, pick(facet.label) || facet.value, facet.count, facet.selected,
          search.toggled(state, 'a_' + attribute.key, facet.value))).join(''),
        ' facet--category" data-testid="facet-' + escape(attribute.key))).join('')
      + group(t.filter_delivery, checkboxes('delivery', f.delivery_methods, (facet) => t.deliveries[facet.value] || ''))
      + group(t.filter_billing, checkboxes('billing', f.billing_modes, (facet) => t.billings[facet.value] || ''))
      + group(t.filter_price, f.price_ranges.map((facet, index) => {
        const [min, max] = facet.value.includes('-') ? facet.value.split('-', 2) : ['', ''];
        const next = facet.selected ? search.withValue(search.withValue(state, 'price_min', null), 'price_max', null)
          : search.withValue(search.withValue(state, 'price_min', min), 'price_max', max);
        return option('checkbox', null, t.price_ranges[index] || '', facet.count, facet.selected, next);
      }).join('')
        + '<form class="price-form" data-shell-price-form><label><span>' + escape(t.filter_price_min) + '</span>'
        + '<input class="field__input" type="number" min="0" step="1" inputmode="numeric" name="price_min" value="' + yuan('price_min') + '"></label>'
        + '<label><span>' + escape(t.filter_price_max) + '</span>'
        + '<input class="field__input" type="number" min="0" step="1" inputmode="numeric" name="price_max" value="' + yuan('price_max') + '"></label>'
        + '<button type="submit" class="button button--secondary button--small">' + escape(t.filter_price_apply) + '</button></form>')
      + '<fieldset class="facet"><legend class="visually-hidden">' + escape(t.filters_heading) + '</legend>'
        + flag(t.filter_supervised, f.supervised, 'supervised', 'true') + flag(t.filter_trial, f.free_trial, 'trial', 'true')
        + flag(t.filter_four_stars, f.four_stars_and_up, 'rating_min', '4') + '</fieldset>'
      + group(t.filter_seller, sellers + (f.sellers.length > 8 ? '<button type="button" class="button button--quiet button--small" aria-expanded="false" data-shell-sellers="' + f.sellers.length + '">'
        + escape(t.filter_more_sellers(f.sellers.length)) + '</button>' : ''))
      + '</details>';
  };

  // The catalog results page (src/pages/products): filters, count, sort, cards, pages.
  // `wide`: a window where the app shows the filters open.
  const results = (answer, state, language, wide) => {
    const t = wordsIn(language);
    const href = (next) => escape(search.href(next));
    const sortNow = t.sorts[state.sort] ? state.sort : 'relevance';
    const pages = Math.max(1, Math.ceil(answer.total / answer.page_size));
    const page = answer.page;
    const list = answer.items.length === 0
      ? '<div class="status status--empty" data-testid="results-empty"><p class="status__title">' + escape(t.empty_results_title) + '</p>'
        + '<p>' + escape(t.empty_results_hint) + '</p>'
        + (search.hasFilters(state) ? '<button type="button" class="button button--secondary" data-shell-href="' + href(search.cleared(state)) + '">'
          + escape(t.filter_clear) + '</button>' : '')
        + '<a href="/">' + escape(t.home_categories) + '</a></div>'
      : '<div class="product-grid" data-testid="results-ready">' + answer.items.map((p) => productCard(p, language)).join('') + '</div>';
    const paging = pages > 1 ? '<nav class="pagination" aria-label="' + escape(t.pagination_label) + '">'
      + (page > 1 ? '<a href="' + href(search.withValue(state, 'page', String(page - 1))) + '" rel="prev">' + escape(t.pagination_previous) + '</a>' : '')
      + '<span aria-current="page">' + escape(t.pagination_page(page, pages)) + '</span>'
      + (page < pages ? '<a href="' + href(search.withValue(state, 'page', String(page + 1))) + '" rel="next">' + escape(t.pagination_next) + '</a>' : '')
      + '</nav>' : '';
    const title = state.q ? t.results_for(state.q) : t.catalog_title;
    return { title, markup: '<div class="catalog"><h1 tabindex="-1">' + escape(title) + '</h1><div class="catalog-layout">'
      + filters(answer.facets, state, t, pickIn(language), wide)
      + '<section class="results" aria-labelledby="results-count"><div class="results__bar"><h2 class="results__count">'
      + '<span id="results-count" role="status" data-testid="results-count">' + escape(t.results_count(answer.total)) + '</span></h2>'
      + '<label class="results__sort"><span>' + escape(t.sort_label) + '</span><select class="field__select">'
      + Object.keys(t.sorts).map((order) => '<option value="' + order + '"' + (order === sortNow ? ' selected' : '') + '>' + escape(t.sorts[order]) + '</option>').join('')
      + '</select></label></div>' + list + paging + '</section></div></div>' };
  };

  shell.render = { escape, money, halfStars, average, productCard, productHeader, productInformation, phoneBuyBar, home, product, results, wordsIn, pickIn };
})();
