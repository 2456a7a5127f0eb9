// Runs the shell's scripts (shell/src) in a fresh context, as the page runs them one after
// another, and returns the global they fill (`window.__bazaarShell`).
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const loadShell = (files = ['tables.js', 'search_state.js', 'words.js', 'templates.js', 'render.js']) => {
  const context = vm.createContext({ TextEncoder, URLSearchParams });
  context.window = context;
  for (const file of files) {
    const source = fs.readFileSync(path.join(__dirname, '..', 'src', file), 'utf8');
    vm.runInContext(source, context, { filename: file });
  }
  return context.__bazaarShell;
};

// What the app itself answered for sample inputs (written by src/shell_tables.rs).
const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, 'vectors.json'), 'utf8'));

module.exports = { loadShell, vectors };
