import { describe, expect, it } from 'vitest';
import { markers, replaceSection, table } from './report.js';

describe('replaceSection', () => {
  it('replaces only the marked section and keeps the prose around it', () => {
    const { begin, end } = markers('x');
    const doc = `intro\n${begin}\nold\n${end}\noutro\n`;
    expect(replaceSection(doc, 'x', 'new')).toBe(`intro\n${begin}\nnew\n${end}\noutro\n`);
  });
  it('appends the section when the markers are missing', () => {
    const out = replaceSection('prose\n', 'y', 'figures');
    expect(out).toContain('prose');
    expect(out.endsWith(`${markers('y').end}\n`)).toBe(true);
  });
});

describe('table', () => {
  it('renders a markdown table', () => {
    expect(table(['a', 'b'], [[1, 'x']])).toBe('| a | b |\n| --- | --- |\n| 1 | x |');
  });
});
