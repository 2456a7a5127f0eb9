// Which wasm chunk group a path's page is in, from the app's route table (`routeGroups` in
// tables.js, read from src/app.rs): a `:name` segment matches any one segment; the first
// route that matches wins, as in the app's router.
(() => {
  const shell = window.__bazaarShell;
  const segments = (path) => path.split('/').filter((segment) => segment);
  const matches = (pattern, path) => {
    const [want, have] = [segments(pattern), segments(path)];
    return want.length === have.length && want.every((segment, at) => segment.startsWith(':') || segment === have[at]);
  };
  shell.groupOf = (path) => {
    const route = shell.routeGroups.find(([pattern]) => matches(pattern, path));
    return route ? route[1] : null;
  };
})();
