#!/usr/bin/env node
// Stands in for `wscat -c URL [-H header]...` when a guide is run by
// run-guides.js. TRANSCRIPT_FILE holds the guide's `> ` (typed) and `< `
// (answered) lines in their order, already expanded by bash. The client plays
// them in order: a `> ` line is sent once every `< ` line before it was matched
// by a received frame of the same shape (see frameMatches). An example value
// such as "5b7e…" in a matched frame stands for the real value from then on, so
// `> {"ring_id":"5b7e…"}` sends the ring id that really came. Everything is
// logged to OUT_FILE as JSON lines: {open}, {frame}, {met}, {sent}, {close}.
// Usage: node socket.js OUT_FILE TRANSCRIPT_FILE -c URL [-H "Name: value"]...
const { appendFileSync, readFileSync, existsSync } = require('node:fs');
const WebSocket = require('ws');

/** Fields whose value names a message or an outcome: a guide's example must show the real one. */
const EXACT_KEYS = new Set(['type', 'event', 'action', 'code', 'error_code', 'message_type', 'client_type', 'success', 'is_edited', 'is_deleted', 'status', 'alert_type']);

/** Same keys, recursively; exact values for message names and outcomes; example values bind to the real ones. */
function frameMatches(expected, actual, key, bindings) {
  if (expected === null) return true;
  if (Array.isArray(expected)) return Array.isArray(actual) && (expected.length === 0 || actual.length === 0 || frameMatches(expected[0], actual[0], key, bindings));
  if (typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.keys(expected).every((k) => k in actual && frameMatches(expected[k], actual[k], k, bindings));
  }
  if (EXACT_KEYS.has(key)) return expected === actual;
  if (actual !== null && typeof actual !== typeof expected) return false;
  if (typeof expected === 'string' && expected.includes('…') && expected !== '…' && typeof actual === 'string') bindings.push([expected, actual]);
  return true;
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const [out, transcriptFile, ...args] = process.argv.slice(2);
let url = null;
const headers = {};
for (let i = 0; i < args.length; i++) {
  if (args[i] === '-c' || args[i] === '--connect') url = args[++i];
  else if (args[i] === '-H' || args[i] === '--header') {
    const h = args[++i];
    const colon = h.indexOf(':');
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  } else if (!url && /^wss?:\/\//.test(args[i])) url = args[i];
}
if (!url) {
  console.error('socket.js: no -c URL');
  process.exit(2);
}
const record = (entry) => appendFileSync(out, JSON.stringify(entry) + '\n');
const steps = (existsSync(transcriptFile) ? readFileSync(transcriptFile, 'utf8') : '')
  .split('\n')
  .filter((l) => /^[<>] /.test(l))
  .map((l) => ({ send: l[0] === '>', text: l.slice(2) }));
const known = new Map();
const pending = [];
let step = 0;
let open = false;

function substitute(text) {
  let s = text;
  for (const [example, real] of known) s = s.split(JSON.stringify(example)).join(JSON.stringify(real));
  return s;
}

function advance() {
  while (open && step < steps.length) {
    const { send, text } = steps[step];
    if (send) {
      const line = substitute(text);
      ws.send(line);
      record({ sent: line });
      step++;
      continue;
    }
    const want = parse(text);
    let found = -1;
    for (let i = 0; i < pending.length && found < 0; i++) {
      const bindings = [];
      if (want !== undefined && frameMatches(want, pending[i], '', bindings)) {
        found = i;
        for (const [example, real] of bindings) known.set(example, real);
      }
    }
    if (found < 0) return;
    pending.splice(0, found + 1);
    step++;
    record({ met: step });
  }
}

const ws = new WebSocket(url, { headers });
ws.on('open', () => {
  open = true;
  record({ open: true });
  advance();
});
ws.on('message', (data) => {
  record({ frame: data.toString() });
  pending.push(parse(data.toString()));
  advance();
});
ws.on('unexpected-response', (_req, res) => {
  record({ http: res.statusCode });
  process.exit(0);
});
ws.on('close', (code) => {
  record({ close: code });
  process.exit(0);
});
ws.on('error', (err) => record({ error: String(err.message) }));
process.on('SIGTERM', () => {
  ws.terminate();
  process.exit(0);
});
