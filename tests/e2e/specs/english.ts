// The SPA's English interface text, read from its Rust sources (the `EN` tables of
// src/i18n*.rs), so a test can tell whether any of it is still on screen after switching to
// Chinese. Content (product names, descriptions, seller names) is not in these tables and
// is not looked for.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = join(__dirname, '..', '..', '..', 'src');

/** The string literals of one `static EN…: … = … { … };` table (closures' texts included). */
function table(source: string, name: 'EN' | 'ZH_CN'): string[] {
  const start = source.search(new RegExp(`static ${name}: \\w+ = \\w+ \\{`));
  if (start < 0) return [];
  const end = source.indexOf('\n};', start);
  const block = source.slice(start, end);
  const values: string[] = [];
  // Every literal: plain strings and the `format!` texts of messages with values alike.
  for (const match of block.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    values.push(match[1].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\{\{/g, '{').replace(/\}\}/g, '}'));
  }
  return values;
}

/**
 * Pieces of English interface text worth looking for: each string cut at its `{placeholders}`,
 * keeping pieces of at least two words (a lone word such as a product's "Team" tier is too
 * likely to be content) that the Chinese tables do not also use.
 */
export function englishInterfaceText(): string[] {
  const english = new Set<string>();
  const chinese = new Set<string>();
  for (const file of readdirSync(SOURCES).filter((name) => name.startsWith('i18n') && name.endsWith('.rs'))) {
    const source = readFileSync(join(SOURCES, file), 'utf8');
    table(source, 'EN').forEach((text) => english.add(text));
    table(source, 'ZH_CN').forEach((text) => chinese.add(text));
  }
  const pieces = new Set<string>();
  for (const text of english) {
    if (chinese.has(text)) continue;
    for (const piece of text.split(/\{\w+\}/)) {
      const trimmed = piece.trim().replace(/[.:,;]+$/, '');
      if (trimmed.split(/\s+/).length >= 2 && /[a-z]{3}/i.test(trimmed)) pieces.add(trimmed);
    }
  }
  return [...pieces];
}
