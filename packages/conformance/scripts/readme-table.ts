// Regenerates the scenario table of README.md from the scenario data: `pnpm run readme`.
// `src/readme.test.ts` fails when the README is out of date.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { scenarios } from '../src/scenarios/index.js';

export const README = fileURLToPath(new URL('../README.md', import.meta.url));
const START = '<!-- scenarios:start -->';
const END = '<!-- scenarios:end -->';

/** The markdown table of every scenario: id, level and requirement, in table order. */
export function scenarioTable(): string {
  const rows = scenarios.map((s) => {
    const scope = s.perRoute ? ' (per-route)' : '';
    const name = s.name.replace(/[|*_]/g, (c) => `\\${c}`);
    return `| \`${s.id}\` | ${s.level} | ${name}${scope} |`;
  });
  return [
    `${scenarios.length} scenarios.`,
    '',
    '| id | level | requirement |',
    '|---|---|---|',
    ...rows,
  ].join('\n');
}

/** `readme` with the text between the markers replaced by the current table. */
export function withTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README.md lacks ${START} ... ${END}`);
  return `${readme.slice(0, start + START.length)}\n${scenarioTable()}\n${readme.slice(end)}`;
}

/** Table rows without the padding the formatter adds, to compare content only. */
export function unpadded(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) =>
      line.startsWith('|') ? line.replace(/\s*\|\s*/g, '|').replace(/-{3,}/g, '---') : line,
    )
    .join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(README, withTable(readFileSync(README, 'utf8')));
  // Biome pads markdown tables; format now so `biome check` stays clean.
  execFileSync('pnpm', ['exec', 'biome', 'format', '--write', README], { stdio: 'inherit' });
}
