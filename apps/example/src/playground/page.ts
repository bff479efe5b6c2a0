// The playground page: plain HTML, a stylesheet and a small inline script, no build step. The
// script sends the request with the page's own fetch() (so the browser is the judge), then asks
// the server (POST /api/explain) for what the page cannot see: the raw headers and the browser
// model's console line, explanation and fix.

const STYLE = `
:root { --ink: #1d2433; --muted: #5b6478; --line: #dde2ea; --bg: #f5f7fa; --ok: #17803d; --ok-bg: #e7f6ec;
  --bad: #c2261d; --bad-bg: #fdecea; --warn-bg: #fff6dd; --accent: #3451b2; --mono: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif; color: var(--ink); background: var(--bg); }
header { display: flex; align-items: baseline; gap: 16px; padding: 14px 24px; background: #1d2433; color: #fff; }
header h1 { margin: 0; font-size: 18px; font-weight: 650; }
header .origin { color: #b8c2d9; font-size: 13px; }
header code { color: #fff; }
main { display: grid; grid-template-columns: 400px 1fr; gap: 20px; padding: 20px 24px; align-items: start; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; }
.panel + .panel { margin-top: 16px; }
h2 { margin: 0 0 12px; font-size: 13px; letter-spacing: .04em; text-transform: uppercase; color: var(--muted); }
label { display: block; font-weight: 600; margin: 10px 0 4px; }
label small { font-weight: 400; color: var(--muted); }
select, input, textarea { width: 100%; font: inherit; padding: 7px 9px; border: 1px solid #c6ccd8; border-radius: 6px; background: #fff; color: var(--ink); }
textarea { font-family: var(--mono); font-size: 12.5px; resize: vertical; }
#config { min-height: 190px; }
.row { display: grid; grid-template-columns: 110px 1fr; gap: 10px; }
.row label { margin-top: 10px; }
button { margin-top: 14px; width: 100%; padding: 10px; font: inherit; font-weight: 650; color: #fff; background: var(--accent); border: 0; border-radius: 6px; cursor: pointer; }
button:disabled { opacity: .6; cursor: progress; }
.error { margin-top: 10px; padding: 10px 12px; border-radius: 6px; background: var(--bad-bg); color: var(--bad); }
.error table { margin-top: 6px; color: var(--ink); font: 13px/1.4 system-ui, sans-serif; }
.error td { border-top-color: #f6cfcb; padding: 5px 6px; }
.error td:first-child { font: 600 12px var(--mono); color: var(--bad); }
.error .fix-line { margin-top: 2px; color: var(--ok); }
.warning { margin-top: 10px; padding: 8px 12px; border-radius: 6px; background: var(--warn-bg); }
.hint { color: var(--muted); font-size: 12.5px; margin-top: 8px; }
.empty { color: var(--muted); text-align: center; padding: 60px 0; }
.verdict { display: flex; align-items: center; gap: 14px; }
.pill { font-weight: 800; letter-spacing: .06em; font-size: 15px; padding: 6px 14px; border-radius: 999px; text-transform: uppercase; }
.pill.allowed { background: var(--ok-bg); color: var(--ok); }
.pill.blocked { background: var(--bad-bg); color: var(--bad); }
.verdict .what { color: var(--muted); }
.console { margin: 14px 0 0; padding: 10px 12px; border-radius: 6px; background: #2a0f10; color: #ffb4ae; font: 12.5px/1.5 var(--mono); white-space: pre-wrap; word-break: break-word; }
.console::before { content: '✖ '; }
.explain { margin: 14px 0 0; }
.fix { margin-top: 8px; padding: 9px 12px; border-left: 4px solid var(--ok); background: var(--ok-bg); border-radius: 0 6px 6px 0; }
.fix b { color: var(--ok); }
.exchange h3 { margin: 0 0 4px; font-size: 14px; }
.exchange .reason { color: var(--muted); margin-bottom: 10px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.pair h4 { margin: 0 0 6px; font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
table { width: 100%; border-collapse: collapse; font: 12px/1.4 var(--mono); }
td { padding: 3px 6px; border-top: 1px solid #eef1f5; vertical-align: top; overflow-wrap: anywhere; }
td:first-child { color: var(--muted); white-space: nowrap; word-break: normal; width: 1%; }
tr.cors td { background: #eef2ff; color: #1f3a9e; }
tr.cors td:first-child { color: #3451b2; }
.status { font: 600 12.5px var(--mono); margin-bottom: 6px; }
.status.bad { color: var(--bad); }
.read { font-size: 13px; }
.read code { font-family: var(--mono); font-size: 12px; background: #f0f2f6; padding: 1px 5px; border-radius: 4px; }
`;

const SCRIPT = String.raw`
(function () {
  const data = JSON.parse(document.getElementById('data').textContent);
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  };
  let tries = 0;

  for (const name of data.adapters) {
    const option = el('option', '', name);
    option.value = name;
    $('adapter').append(option);
  }
  $('adapter').value = data.adapter;
  $('config').value = data.config;
  $('page-origin').textContent = location.origin;

  const post = async (path, body) => {
    const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return response.json();
  };

  const parseHeaders = (text) => {
    const headers = {};
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error('Write each header as "Name: value" (line "' + line + '")');
      headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
    return headers;
  };

  const table = (pairs) => {
    const t = el('table');
    for (const [name, value] of pairs) {
      const tr = el('tr', /^(origin|vary|access-control-)/i.test(name) ? 'cors' : '');
      tr.append(el('td', '', name), el('td', '', value));
      t.append(tr);
    }
    return t;
  };

  const showConfigError = (error) => {
    const box = $('config-error');
    box.replaceChildren();
    box.hidden = !error;
    if (!error) return;
    const title = error.kind === 'config'
      ? 'CorsConfigError: ' + error.issues.length + (error.issues.length === 1 ? ' problem' : ' problems')
      : error.kind === 'json' ? 'Not valid options' : 'The server did not start';
    box.append(el('b', '', title));
    if (error.kind === 'config') {
      const t = el('table');
      for (const issue of error.issues) {
        const tr = el('tr');
        const cell = el('td');
        cell.append(el('div', '', issue.message), el('div', 'fix-line', 'fix: ' + issue.fix));
        tr.append(el('td', '', issue.option), cell);
        t.append(tr);
      }
      box.append(t);
    } else {
      box.append(el('div', '', error.message));
    }
  };

  const showWarnings = (warnings) => {
    const box = $('warnings');
    box.replaceChildren();
    box.hidden = !warnings || warnings.length === 0;
    for (const w of warnings || []) box.append(el('div', '', '⚠ ' + w.option + ': ' + w.message));
  };

  const exchange = (title, reason, ex) => {
    const section = el('section', 'panel exchange');
    section.append(el('h3', '', title));
    if (reason) section.append(el('div', 'reason', reason));
    const pair = el('div', 'pair');
    const left = el('div');
    left.append(el('h4', '', 'Request'), el('div', 'status', ex.sent.method + ' ' + ex.sent.path), table(ex.sent.headers));
    const right = el('div');
    right.append(el('h4', '', 'Response'), el('div', 'status' + (ex.received.status >= 400 ? ' bad' : ''), ex.received.status + ' ' + ex.received.statusText), table(ex.received.headers));
    pair.append(left, right);
    section.append(pair);
    return section;
  };

  const render = (url, outcome, report) => {
    const result = $('result');
    result.replaceChildren();
    const top = el('section', 'panel');
    const verdict = el('div', 'verdict');
    const pill = el('span', 'pill ' + (outcome.resolved ? 'allowed' : 'blocked'), outcome.resolved ? 'allowed' : 'blocked');
    pill.id = 'verdict';
    pill.dataset.verdict = outcome.resolved ? 'allowed' : 'blocked';
    verdict.append(pill, el('span', 'what', outcome.resolved
      ? 'fetch() resolved: the page can read the response.'
      : 'fetch() rejected with ' + outcome.error + '.'));
    top.append(verdict);
    if (report.message) {
      const line = el('div', 'console', report.message);
      line.id = 'message';
      top.append(line);
    }
    if ((report.verdict === 'allowed') !== outcome.resolved) {
      top.append(el('div', 'warning', 'The browser model predicted "' + report.verdict + '" for the replayed request; this browser disagrees.'));
    }
    const explain = el('div', 'explain');
    explain.append(el('div', '', report.explanation));
    if (report.fix) {
      const fix = el('div', 'fix');
      fix.id = 'fix';
      fix.append(el('b', '', 'Fix: '), document.createTextNode(report.fix));
      explain.append(fix);
    }
    top.append(explain);
    if (outcome.resolved) {
      const read = el('div', 'read');
      const visible = outcome.headers.map((h) => h[0]);
      const sent = report.actual ? report.actual.received.headers.map((h) => h[0].toLowerCase()) : [];
      const hidden = sent.filter((n) => !visible.includes(n) && !/^(access-control-|vary$|date$|connection$|keep-alive$|transfer-encoding$)/.test(n));
      read.append(el('p', '', 'The script read status ' + outcome.status + ', a body of ' + outcome.body.length + ' characters, and the headers ' + (visible.join(', ') || 'none') + '.'));
      if (hidden.length) read.append(el('p', 'hint', 'Hidden from the script: ' + hidden.join(', ') + '. List a header in "exposedHeaders" to let the page read it.'));
      top.append(read);
    }
    result.append(top);
    if (report.preflight) result.append(exchange('Preflight', report.preflight.reason, report.preflight));
    if (report.actual) result.append(exchange('Actual request', '', report.actual));
    if (report.preflight && !report.actual) result.append(el('p', 'hint', 'The browser stopped at the preflight: the actual request was never sent.'));
  };

  $('form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = $('send');
    button.disabled = true;
    try {
      let headers;
      try {
        headers = parseHeaders($('headers').value);
      } catch (error) {
        showConfigError({ kind: 'json', message: error.message });
        return;
      }
      const target = await post('/api/target', { adapter: $('adapter').value, config: $('config').value });
      showConfigError(target.ok ? undefined : target.error);
      if (!target.ok) {
        $('result').replaceChildren(el('div', 'panel empty', 'The server did not start with these options: see the problems on the left, fix them and send again.'));
        return;
      }
      showWarnings(target.warnings);
      $('target').textContent = target.url;
      const method = $('method').value.trim();
      const credentials = $('credentials').value;
      const body = $('body').value;
      const path = $('path').value + '?try=' + (++tries);
      const init = { method, headers, credentials };
      if (body && !/^(get|head)$/i.test(method)) init.body = body;
      let outcome;
      try {
        const response = await fetch(target.url + path, init);
        const text = await response.text();
        outcome = { resolved: true, status: response.status, body: text, headers: [...response.headers] };
      } catch (error) {
        outcome = { resolved: false, error: String(error) };
      }
      const report = await post('/api/explain', { path, origin: location.origin, method, headers, credentials, body });
      if (report.error) throw new Error(report.error);
      render(target.url + path, outcome, report);
    } catch (error) {
      $('result').replaceChildren(el('div', 'panel error', String(error)));
    } finally {
      button.disabled = false;
    }
  });
})();
`;

/** What the page starts with. */
export interface PageData {
  adapters: readonly string[];
  adapter: string;
  /** The options, as JSON text. */
  config: string;
}

/** The whole page; `data` is embedded as JSON (with `<` escaped, so it cannot close the script). */
export function renderPage(data: PageData): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@cors playground</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>@cors playground</h1>
  <span class="origin">this page: <code id="page-origin"></code> &nbsp;→&nbsp; target: <code id="target">started on Send</code></span>
</header>
<main>
  <form id="form" autocomplete="off">
    <section class="panel">
      <h2>1 · Server</h2>
      <label for="adapter">Adapter</label>
      <select id="adapter"></select>
      <label for="config">CORS options <small>(JSON, as passed to the adapter)</small></label>
      <textarea id="config" spellcheck="false"></textarea>
      <div id="config-error" class="error" hidden></div>
      <div id="warnings" class="warning" hidden></div>
    </section>
    <section class="panel">
      <h2>2 · fetch() from this page</h2>
      <div class="row">
        <div><label for="method">Method</label><input id="method" list="methods" value="GET"></div>
        <div><label for="path">Path</label>
          <select id="path">
            <option>/resource</option><option>/private</option><option>/error</option><option>/scoped</option><option>/nowhere</option>
          </select></div>
      </div>
      <datalist id="methods"><option>GET</option><option>HEAD</option><option>POST</option><option>PUT</option><option>PATCH</option><option>DELETE</option><option>patch</option></datalist>
      <label for="headers">Headers <small>(one "Name: value" a line)</small></label>
      <textarea id="headers" rows="3" spellcheck="false" placeholder="Content-Type: application/json"></textarea>
      <div class="row">
        <div><label for="credentials">Credentials</label>
          <select id="credentials"><option>same-origin</option><option>include</option><option>omit</option></select></div>
        <div><label for="body">Body</label><input id="body" placeholder="(none)"></div>
      </div>
      <button id="send" type="submit">Send with fetch()</button>
      <div class="hint">The target runs on another port, so the request is cross-origin and the browser applies CORS. The server replays it to show what the page cannot see.</div>
    </section>
  </form>
  <div id="result"><div class="panel empty">Pick an adapter, edit the options and send a request.</div></div>
</main>
<script type="application/json" id="data">${json}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
