import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configKeys } from './keys.js';

// docs/CONFIGURATION.md documents every key of the schema, read from the zod schemas themselves (keys.ts): a key
// added to the schema without its line in the document fails here, named.

const DOC = readFileSync(new URL('../../docs/CONFIGURATION.md', import.meta.url), 'utf8');

/** The text of the section under the heading `### <name>` (up to the next heading of level 2 or 3). */
function section(heading: RegExp): string {
  const lines = DOC.split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && /^#{2,3} /.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

const documented = (text: string, key: string): boolean => text.includes(`| \`${key}\` |`);

describe('docs/CONFIGURATION.md', () => {
  const keys = configKeys();

  it('has a table row for every top-level key (full dotted path)', () => {
    const missing = keys.top.filter((k) => !documented(DOC, k));
    expect(missing, `add a row "| \`key\` | type | default | what it does |" to docs/CONFIGURATION.md for: ${missing.join(', ')}`).toEqual([]);
  });

  it('has a row for every key all destinations share, under "## Destinations"', () => {
    const text = section(/^## Destinations$/);
    const missing = keys.common.filter((k) => !documented(text, k));
    expect(missing, `document under "## Destinations": ${missing.join(', ')}`).toEqual([]);
  });

  it('has a section per platform with a row for each of its keys', () => {
    const missing = Object.entries(keys.platforms).flatMap(([platform, platformKeys]) => {
      const text = section(new RegExp(`^### ${platform}$`));
      if (!text) return [`${platform} (no "### ${platform}" section)`];
      return platformKeys.filter((k) => !documented(text, k)).map((k) => `${platform}: ${k}`);
    });
    expect(missing, `document in docs/CONFIGURATION.md: ${missing.join(', ')}`).toEqual([]);
  });

  it('documents no key the schema does not have (a removed or misspelt key)', () => {
    const known = new Set([...keys.top, ...keys.common, ...Object.values(keys.platforms).flat(), 'destinations']);
    const rows = [...DOC.matchAll(/^\| `([a-z_.]+)` \|/gm)].map((m) => m[1]!);
    const envVariables = /^[A-Z_]+$/;
    expect(rows.filter((k) => !known.has(k) && !envVariables.test(k))).toEqual([]);
  });
});
