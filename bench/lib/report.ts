import { existsSync, readFileSync, writeFileSync } from 'node:fs';

// Generated figures live between two HTML comments in a hand-written document, so a run regenerates its section
// and leaves the prose around it (how durability is configured, how to read the figures) as written.

export function markers(name: string): { begin: string; end: string } {
  return { begin: `<!-- BEGIN GENERATED: ${name} -->`, end: `<!-- END GENERATED: ${name} -->` };
}

/** `doc` with the named section replaced by `content` (appended at the end when the markers are absent). */
export function replaceSection(doc: string, name: string, content: string): string {
  const { begin, end } = markers(name);
  const block = `${begin}\n${content.trim()}\n${end}`;
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from === -1 || to === -1 || to < from) return `${doc.trimEnd()}\n\n${block}\n`;
  return doc.slice(0, from) + block + doc.slice(to + end.length);
}

export function writeSection(path: string, name: string, content: string, skeleton: string): void {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : skeleton;
  writeFileSync(path, replaceSection(doc, name, content));
}

/** A GitHub-flavoured markdown table. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]): string => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
