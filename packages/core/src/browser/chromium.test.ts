// Every vector below was run against headless Chromium 156.0.8078.79 by
// scripts/verify-browser-model.ts --write, which recorded what Chromium did: whether it sent a
// preflight, its Access-Control-Request-Method and -Headers, and the console line it printed. The
// model must reproduce each of them exactly.
import { describe, expect, it } from 'vitest';
import table from './chromium-vectors.json' with { type: 'json' };
import { checkPreflight, checkResponse, needsPreflight, preflightRequestHeaders } from './index.js';
import { unsafeHeaderNames } from './safelist.js';
import type { BrowserCheck, BrowserRequest, BrowserResponse } from './types.js';

interface RecordedVector {
  name: string;
  request: BrowserRequest;
  preflight?: BrowserResponse;
  actual?: BrowserResponse;
  anyRefusedHeader?: boolean;
  chromium: {
    preflightSent: boolean;
    requestMethod?: string;
    requestHeaders?: string;
    message: string | null;
  };
}
const vectors = table.vectors as RecordedVector[];

/** What the page sees: the preflight's verdict when one is sent, then the actual response's. */
function modelVerdict(vector: RecordedVector): BrowserCheck {
  let check: BrowserCheck = { ok: true };
  if (vector.chromium.preflightSent && vector.preflight) {
    check = checkPreflight(vector.request, vector.preflight);
  }
  if (check.ok && vector.actual) check = checkResponse(vector.request, vector.actual);
  return check;
}

describe(`the browser model against Chromium ${table.chromium}`, () => {
  it('has a recorded table', () => {
    expect(table.chromium).toBe('156.0.8078.79');
    expect(vectors.length).toBeGreaterThan(140);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const { chromium } = vector;
    expect(needsPreflight(vector.request)).toBe(chromium.preflightSent);
    if (chromium.preflightSent) {
      const asked = preflightRequestHeaders(vector.request);
      expect(asked.method).toBe(chromium.requestMethod);
      expect(asked.requestHeaders).toBe(chromium.requestHeaders);
    }

    const verdict = modelVerdict(vector);
    if (!vector.anyRefusedHeader) {
      expect(verdict.ok ? null : verdict.message).toBe(chromium.message);
      return;
    }
    // Chromium names one of several refused headers in its hash-map order; the model names the
    // first in sorted order. Same code and text, and Chromium's name is one the model refuses too.
    const named = /field (\S+) is not allowed/.exec(chromium.message ?? '')?.[1] ?? '';
    expect(unsafeHeaderNames(vector.request)).toContain(named);
    expect(verdict.ok ? null : verdict.message.replace(/field \S+ is/, `field ${named} is`)).toBe(
      chromium.message,
    );
  });
});
