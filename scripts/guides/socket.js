#!/usr/bin/env node
// Stands in for `wscat -c URL [-H header]...` when a guide is run by
// run-guides.js: connects, sends the lines of SEND_FILE (the guide's `> ` lines,
// already expanded by bash) once open, and appends every frame it receives,
// then its close code, to OUT_FILE as JSON lines.
// Usage: node socket.js OUT_FILE SEND_FILE -c URL [-H "Name: value"]...
const { appendFileSync, readFileSync, existsSync } = require('node:fs');
const WebSocket = require('ws');

const [out, sendFile, ...args] = process.argv.slice(2);
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
const ws = new WebSocket(url, { headers });
ws.on('open', () => {
  record({ open: true });
  const lines = existsSync(sendFile) ? readFileSync(sendFile, 'utf8').split('\n').filter((l) => l.trim()) : [];
  for (const line of lines) ws.send(line);
});
ws.on('message', (data) => record({ frame: data.toString() }));
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
