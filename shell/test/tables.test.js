// The generated words: both languages complete, and each word with values says what the
// app's Rust closure says for the same values.
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadShell, vectors } = require('./load.js');

const shell = loadShell(['tables.js', 'words.js']);
const lookup = (table, key) => key.split('.').reduce((value, part) => value[part], table);

test('both languages have the same words, of the same kind', () => {
  const [english, chinese] = [shell.words.en, shell.words['zh-CN']];
  assert.deepEqual(Object.keys(chinese), Object.keys(english));
  for (const key of Object.keys(english)) {
    assert.equal(typeof chinese[key], typeof english[key], key);
    if (typeof english[key] === 'function') assert.equal(chinese[key].length, english[key].length, key);
    if (typeof english[key] === 'string') assert.notEqual(english[key], '', key);
  }
});

test('every word with values matches the app for the sampled values', () => {
  for (const [language, samples] of Object.entries(vectors.words)) {
    assert.ok(samples.length > 10);
    for (const [key, args, expected] of samples) {
      assert.equal(lookup(shell.words[language], key)(...args), expected, `${language} ${key}(${args})`);
    }
  }
});

test('every word is shown by the shell (the components\' templates bring their own)', () => {
  const fs = require('node:fs');
  const path = require('node:path');
  const root = path.join(__dirname, '..', '..');
  const scripts = fs.readdirSync(path.join(root, 'shell', 'src')).filter((file) => file !== 'words.js')
    .map((file) => fs.readFileSync(path.join(root, 'shell', 'src', file), 'utf8'));
  const everything = [fs.readFileSync(path.join(root, 'index.html'), 'utf8'), ...scripts].join('\n');
  // Read as `t.key`, `table.key`, `wordsIn(…).key`, or named in quotes (`data-shell-text="key"`).
  const used = (key) => new RegExp('(?:\\b(?:t|table)\\.|\\)\\.|["\'])' + key + '\\b').test(everything);
  const unused = Object.keys(shell.words.en).filter((key) => !used(key));
  assert.deepEqual(unused, []);
});

test('the search keys are the app\'s, page and query among them', () => {
  assert.ok(shell.searchKeys.includes('q') && shell.searchKeys.includes('page'));
  assert.equal(shell.localeKey, 'bazaar.locale');
});
