// The markup of the three pages the shell draws before the app (home, catalog results, a
// product's description), as strings: the app's elements, classes and words
// (`window.__bazaarShell.words`, generated from the app's i18n tables). Pure functions of
// an API answer, a language and the search state, made by the templates generated from the
// app's components (templates.js); shell/src/content.js puts them on screen.
// shell/test/render.test.js holds them to the Leptos components rendered natively
// (src/shell_vectors.rs); shell.spec.ts compares whole pages with the app's in both
// languages.
(() => {
  const shell = window.__bazaarShell;
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

  // A product's stars (src/components/rating_stars.rs's `half_stars`) and its average
  // (`Rating::average_text`), looked up in the tables the app wrote for every average.
  const halfStars = (tenths) => shell.ratings.halfStars[tenths];
  const average = (rating) => shell.ratings.averages[rating.average_tenths];
  // As Rust's `str::lines`: no last empty line, no carriage returns.
  const lines = (text) => {
    const all = text.split('\n').map((line) => line.replace(/\r$/, ''));
    if (all[all.length - 1] === '') all.pop();
    return all;
  };
  // The results page's address for a search's query string (core's `results_address`);
  // a price bound in hundredths as the price form shows it (`minor_to_typed_price`).
  const resultsAddress = (query) => (query ? '/products?' + query : '/products');
  const typedPrice = (minor) => (/^-?\d+$/.test(minor || '') ? String(Math.trunc(Number(minor) / 100)) : '');
  const helpers = { escape, money, halfStars, average, lines, resultsAddress, typedPrice };
  const templatesIn = (language) => shell.templates[language] || shell.templates.en;
  // A component's template (templates.js, generated from the component by
  // src/shell_templates) as a function of its data and the language.
  const component = (name) => (data, language) => templatesIn(language)[name](data, wordsIn(language), helpers);

  // A product in a list (src/components/product_card.rs); a product page's header and what
  // it says about the product (src/pages/product/information.rs); the phone's buy bar, its
  // button waiting for the app (src/pages/product/mod.rs).
  const productCard = component('productCard');
  // The templates that call others' (a page's parts, a list's items).
  ['productCard', 'facetPanel', 'facetOption', 'attributeFacet', 'moreSellers', 'sortChoice', 'resultGrid', 'noResults', 'pagination']
    .forEach((name) => { helpers[name] = component(name); });
  const productHeader = component('productHeader');
  const productInformation = component('productInformation');
  const phoneBuyBar = component('phoneBuyBar');

  // The home page: `HomeLayout` around `PopularProducts` and `CategoryTiles`, templates
  // generated from src/pages/home.rs.
  const home = ([popular, categories], language) => {
    const parts = { popular: component('popularProducts')(popular, language), categories: component('categoryTiles')(categories, language) };
    return { title: wordsIn(language).home_title, markup: component('homeLayout')(parts, language) };
  };

  // The product page (src/pages/product): `ProductLayout` around the header, what the
  // seller says and the buy bar, the options waiting for the app (`OptionsWaiting`).
  const product = (p, language) => ({ title: p.name, markup: component('productLayout')({
    header: productHeader(p, language), information: productInformation(p, language), buyBar: phoneBuyBar(p, language),
  }, language) });

  // The catalog results page (src/pages/products): `CatalogFrame` around `Results`, the
  // filter panel, sort menu, cards and pages by their own templates. `state` is the search
  // (`search.parse`); `wide`, a window where the app shows the filters open.
  const results = (answer, state, language, wide) => {
    const t = wordsIn(language);
    const title = state.q ? t.results_for(state.q) : t.catalog_title;
    const content = component('results')({ answer, state, wide }, language);
    return { title, markup: component('catalogFrame')({ title, content }, language) };
  };

  shell.render = { escape, money, halfStars, average, typedPrice, productCard, productHeader, productInformation, phoneBuyBar, home, product, results, wordsIn, pickIn };
})();
