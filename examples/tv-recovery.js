#!/usr/bin/env node
// A queue TV that loses its network during a call and recovers the call it missed.
//   node examples/tv-recovery.js            (a Switchboard on http://localhost:3000)
// SWITCHBOARD_URL, ADMIN_EMAIL and ADMIN_PASSWORD override the defaults of a fresh `npm start`.
// What it does: creates a counter and a TV device, connects the TV with recover=1, calls ticket 1
// (the TV sees it), cuts the TV's TCP connection without a close frame, calls ticket 2 while the TV
// is away, reconnects with the TV's last positions, and prints what the server replays.
const WebSocket = require('ws');

const base = process.env.SWITCHBOARD_URL || 'http://localhost:3000';
const admin = { email: process.env.ADMIN_EMAIL || 'admin@example.com', password: process.env.ADMIN_PASSWORD || 'change-me-now' };

async function api(method, path, token, body) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** The TV: connects with recover=1 (and its positions, when it has some), registers, prints what it hears. */
function tv(token, positions) {
  const url = new URL('/ws/queue', base.replace(/^http/, 'ws'));
  url.searchParams.set('token', token);
  url.searchParams.set('recover', '1');
  if (positions.size) url.searchParams.set('since', JSON.stringify(Object.fromEntries(positions)));
  const ws = new WebSocket(url);
  const waiting = [];
  const received = [];
  ws.on('open', () => ws.send(JSON.stringify({ type: 'REGISTER_CLIENT', payload: { client_type: 'tv', client_id: 'hall-tv-demo', location: 'hall' } })));
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString());
    if (f._pos) positions.set(f._pos.s, [f._pos.e, f._pos.o]);
    if (f._stream) positions.set(f._stream.s, [f._stream.e ?? '', f._stream.o]);
    if (f.type === 'TICKET_ANNOUNCEMENT') console.log(`TV shows: ${f.payload.announcement_text}   (stream ${f._pos.s}, offset ${f._pos.o})`);
    if (f._stream && f._stream.recovered !== undefined)
      console.log(`TV recovery of stream ${f._stream.s}: recovered=${f._stream.recovered}${f._stream.replayed !== undefined ? `, ${f._stream.replayed} frame(s) replayed` : ''}`);
    const w = waiting.find((x) => x.match(f));
    if (w) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(f);
    } else received.push(f);
  });
  const next = (match, what) =>
    new Promise((resolve, reject) => {
      const early = received.find(match);
      if (early) return resolve(received.splice(received.indexOf(early), 1)[0]);
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10_000);
      waiting.push({ match, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  return { ws, next };
}

async function main() {
  const token = (await api('POST', '/api/auth/login', null, admin)).access_token;
  const suffix = Date.now().toString(36);
  const counter = await api('POST', '/api/queue/counters', token, { name: `Demo ${suffix}` });
  const device = await api('POST', '/api/devices', token, { name: `Hall TV ${suffix}`, kind: 'display' });
  const positions = new Map();

  const first = tv(device.token, positions);
  await first.next((f) => f.type === 'CONNECTION_ACK', 'CONNECTION_ACK');
  await api('POST', '/api/queue/tickets', token, { counter_id: counter.id });
  await api('POST', '/api/queue/counters/' + counter.id + '/call-next', token, {});
  await first.next((f) => f.type === 'TICKET_ANNOUNCEMENT', 'the first call');

  console.log('-- the hall Wi-Fi drops (TCP cut, no close frame) --');
  first.ws._socket.destroy();
  await api('POST', '/api/queue/tickets', token, { counter_id: counter.id });
  const missed = await api('POST', '/api/queue/counters/' + counter.id + '/call-next', token, {});
  console.log(`(meanwhile ticket ${missed.ticket_number ?? missed.number ?? ''} is called; the TV is offline)`);

  console.log('-- the Wi-Fi is back: the TV reconnects with its positions --');
  const second = tv(device.token, positions);
  const replayed = await second.next((f) => f.type === 'TICKET_ANNOUNCEMENT', 'the missed call');
  const status = await second.next((f) => f._stream && f._stream.s === 'tv', 'the recovery status');
  second.ws.close();
  if (!status._stream.recovered || !replayed._pos) throw new Error('the TV did not recover the missed call');
  console.log('The TV recovered the call it missed.');
}

main().catch((err) => {
  console.error(String(err.message || err));
  process.exit(1);
});
