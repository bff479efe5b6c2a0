/**
 * Merges `add` (a comma-separated list of header names) into an existing `Vary` value: names are
 * compared case-insensitively and never duplicated, the existing order is kept, and `*` absorbs
 * everything. Adapters call this instead of overwriting `Vary`, which would drop what the
 * application or another middleware set.
 *
 * @example
 * ```ts
 * mergeVary('Accept-Encoding', 'Origin'); // 'Accept-Encoding, Origin'
 * mergeVary('origin', 'Origin');          // 'origin'
 * ```
 */
export function mergeVary(
  existing: string | readonly string[] | number | undefined | null,
  add: string,
): string {
  if (existing === undefined || existing === null || existing === '') return add;
  const current = Array.isArray(existing) ? existing.join(', ') : String(existing);
  if (current.trim() === '*') return '*';
  const names: string[] = [];
  const seen = new Set<string>();
  for (const list of [current, add]) {
    for (const raw of list.split(',')) {
      const name = raw.trim();
      if (name === '') continue;
      if (name === '*') return '*';
      const key = name.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      names.push(name);
    }
  }
  return names.join(', ');
}
