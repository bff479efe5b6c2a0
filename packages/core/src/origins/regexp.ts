// RegExps as origin matchers: what makes one unsafe, what the user meant by an unsafe one (the
// fix suggested must be one that works), and whether an accepted one can match any origin at all.

/** Returns why a RegExp is unsafe as an origin matcher, or `undefined` when it is fine. */
export function checkRegExp(re: RegExp): string | undefined {
  if (re.global || re.sticky) {
    return `/${re.source}/${re.flags} has the '${re.global ? 'g' : 'y'}' flag: test() then remembers lastIndex and alternates between allowing and refusing the same origin`;
  }
  const source = re.source;
  if (
    !source.startsWith('^') ||
    !source.endsWith('$') ||
    source.endsWith('\\$') ||
    branches(source).length > 1
  ) {
    return `/${source}/ is not anchored at both ends (^...$, alternatives grouped): an unanchored pattern also matches origins such as https://app.example.com.evil.com`;
  }
  return undefined;
}

/** The source split at each `|` outside any group or character class. */
function branches(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

// A branch that is a host name written out, as the `cors` README teaches (`/\.example\.com$/`):
// an optional scheme, an optional "any subdomain" part, then the labels.
const LITERAL_HOST =
  /^(?<scheme>(?:https\??|http):(?:\\?\/){2})?(?<any>\.\*|\.\+|\(\.\*\)|\(\.\+\)|\(\.\*\\\.\)\?|\(\.\+\\\.\)\?|\[\^\\?\.\]\+|\[a-z0-9-\]\+|\\w\+)?(?<dot>\\?\.)?(?<host>localhost|[a-z0-9-]+(?:\\?\.[a-z0-9-]+)+)(?<port>:[0-9]{1,5})?$/i;

// "Anything" at the start of a branch that has no scheme: the subdomain part the fix spells out.
const LEADING_ANY = /^(?:\.\*|\.\+|\(\.\*\)|\(\.\+\))/;

/**
 * The fix for an unsafe RegExp, as the user meant it: origins written out or patterns when the
 * RegExp spells a host (`/\.example\.com$/` is `'https://*.example.com'`), else the RegExp anchored
 * on the whole origin, scheme included (`/^https:\/\/...$/`), so the fix matches what was meant.
 */
export function regExpFix(re: RegExp): string {
  const flags = re.flags.replace(/[gy]/g, '');
  const safe = new RegExp(re.source, flags);
  if (checkRegExp(safe) === undefined && !matchesNoOrigin(safe)) return `use ${safe}`;
  const parts = branches(re.source).map((branch) => ({
    anchored: branch.startsWith('^'),
    inner: branch.replace(/^\^/, '').replace(/(?<!\\)\$$/, ''),
  }));
  const origins = parts.map(literalOrigins);
  if (origins.every((list) => list !== undefined)) {
    const all = [...new Set(origins.flat())].map((origin) => `'${origin}'`);
    const value = all.length === 1 ? all[0] : `[${all.join(', ')}]`;
    return `use ${value} (origins and patterns: '*.' is every subdomain, not a RegExp)`;
  }
  const sources = parts.map(({ anchored, inner }) => {
    if (/:(?:\\?\/){2}/.test(inner)) return inner;
    if (anchored) return `https:\\/\\/${inner}`;
    const rest = inner.replace(LEADING_ANY, '');
    return rest.startsWith('\\.')
      ? `https:\\/\\/[a-z0-9-]+(?:\\.[a-z0-9-]+)*${rest}`
      : `https:\\/\\/(?:[a-z0-9-]+\\.)*(?:${rest})`;
  });
  const body = sources.length === 1 ? sources[0] : `(?:${sources.join('|')})`;
  return `use /^${body}$/${flags} (anchored on the whole origin, scheme included)`;
}

/** The origins a branch that spells a host stands for, or `undefined` when it is no plain host. */
function literalOrigins({ anchored, inner }: { anchored: boolean; inner: string }) {
  const match = LITERAL_HOST.exec(inner)?.groups;
  if (match === undefined) return undefined;
  const host = match.host!.replace(/\\/g, '').toLowerCase() + (match.port ?? '');
  const local = match.host === 'localhost';
  const scheme = match.scheme?.toLowerCase() ?? (local ? 'http:' : 'https:');
  const schemes = scheme.startsWith('https?') ? ['https', 'http'] : [scheme.split(':')[0]!];
  // `\.example\.com` and `.+example\.com` mean the subdomains, `.*` and `(.*\.)?` the host too;
  // a bare host unanchored on the left matched its subdomains as well; after `^` or a scheme, the
  // host alone.
  const { any, dot } = match;
  const apex = dot === undefined && (any === undefined || /^\(?\.\*/.test(any));
  const subdomains = any !== undefined || dot !== undefined;
  const bare =
    any === undefined && dot === undefined && !anchored && match.scheme === undefined && !local;
  return schemes.flatMap((scheme) => [
    ...(apex ? [`${scheme}://${host}`] : []),
    ...(subdomains || bare ? [`${scheme}://*.${host}`] : []),
  ]);
}

/**
 * Whether an anchored RegExp can never match an origin: an origin is `scheme://host[:port]`, so a
 * RegExp with nothing that can match ':' (a host without its scheme, `/^\.example\.com$/`) matches
 * none. Only the constructs that could match ':' are looked for, so it never warns wrongly.
 */
export function matchesNoOrigin(re: RegExp): boolean {
  const source = re.source;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === ':' || c === '.') return false;
    if (c === '(' && source[i + 1] === '?') {
      // A group's own syntax ((?:, (?<name>, (?<=) matches nothing.
      i = source[i + 2] === '<' && !'=!'.includes(source[i + 3]!) ? source.indexOf('>', i) : i + 2;
    } else if (c === '\\') {
      const next = source[++i] ?? '';
      if (/[:SWDPpxuc0-9]/.test(next)) return false;
    } else if (c === '[') {
      const end = classEnd(source, i);
      if (classMayMatchColon(source.slice(i + 1, end))) return false;
      i = end;
    }
  }
  return true;
}

function classEnd(source: string, open: number): number {
  for (let i = open + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']' && i > open + 1) return i;
  }
  return source.length;
}

/** Whether a character class body (between `[` and `]`) may match ':'. */
function classMayMatchColon(body: string): boolean {
  if (body.startsWith('^')) return !body.includes(':');
  const chars: string[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') {
      const next = body[++i] ?? '';
      if (/[SWDPpxuc0-9]/.test(next)) return true;
      chars.push(next === ':' ? ':' : '\0');
    } else chars.push(body[i]!);
  }
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === ':') return true;
    if (chars[i + 1] === '-' && i + 2 < chars.length) {
      if (chars[i]! <= ':' && ':' <= chars[i + 2]!) return true;
      i += 2;
    }
  }
  return false;
}
