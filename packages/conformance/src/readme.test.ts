import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README, unpadded, withTable } from '../scripts/readme-table.js';

describe('README.md', () => {
  it('lists every scenario (regenerate with `pnpm run readme`)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(unpadded(readme)).toBe(unpadded(withTable(readme)));
  });
});
