// The oversized inputs of the cost attacks, shared by cost.test.ts and cost.bench.ts.

/** The origin every security test allows. */
export const ALLOWED = 'https://www.example.com';

/** A comma-separated list of distinct, valid header names, about `bytes` long. */
export function headerList(bytes: number): string {
  const names: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const name = `x-h${i.toString(36)}`;
    names.push(name);
    length += name.length + 1;
  }
  return names.join(',');
}

/** `n` commas and nothing else. */
export const commas = (n: number): string => ','.repeat(n);

/** `n` lines of `Origin: https://www.example.com`, as raw header pairs. */
export const originLines = (n: number): Array<readonly [string, string]> =>
  Array.from({ length: n }, () => ['Origin', ALLOWED] as const);
