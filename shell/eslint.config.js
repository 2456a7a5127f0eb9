// ESLint for the app shell's scripts: classic browser scripts in src/ (inlined into
// index.html, so no modules), Node's test runner in test/.
const js = require('@eslint/js');
const globals = require('globals');

module.exports = [
  js.configs.recommended,
  {
    files: ['src/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'script', globals: { ...globals.browser } },
    // A storage that refuses (private windows) is ignored on purpose: `catch (_) {}`.
    rules: { 'no-empty': ['error', { allowEmptyCatch: true }], 'no-unused-vars': ['error', { caughtErrors: 'none' }], eqeqeq: ['error', 'smart'], 'no-var': 'error', 'prefer-const': 'error' },
  },
  {
    files: ['test/**/*.js', 'eslint.config.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'commonjs', globals: { ...globals.node } },
  },
];
