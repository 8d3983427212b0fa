import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { after, before, describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { Connection } from '../src/realtime/connection';
import type { GatewayRuntime } from '../src/realtime/gateway-runtime';
import { OutboundWriter } from '../src/realtime/outbound-writer';
import { RealtimeMetrics } from '../src/realtime/realtime-metrics';
import { Encoded } from '../src/realtime/wire';
import { rawSocketOf } from '../src/realtime/ws-internals';

/** A real ws server and client pair; resolves with the server side of the socket and the upgrade request's TCP socket. */
async function pair(perMessageDeflate: boolean) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[WebSocket, { socket: unknown }]>;
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { perMessageDeflate });
  await once(client, 'open');
  const [ws, req] = await accepted;
  return { server, client, ws, tcp: req.socket };
}

function connectionFor(ws: WebSocket): Connection {
  const gateway = { name: 'internals', codec: { decode: () => null, error: () => ({}) } } as unknown as GatewayRuntime;
  const conn = new Connection('c1', ws, gateway, '127.0.0.1', '', {}, {}, Date.now());
  conn.raw = rawSocketOf(ws);
  return conn;
}

const nextMessage = (client: WebSocket) =>
  Promise.race([once(client, 'message').then(([data]) => JSON.parse(String(data))), new Promise((_, reject) => setTimeout(() => reject(new Error('no frame arrived')), 5000))]);

describe('ws internals the core writes through', () => {
  const writer = new OutboundWriter(new RealtimeMetrics(), 1 << 20, new Logger('test'), () => 0);
  let plain: Awaited<ReturnType<typeof pair>>;
  let deflate: Awaited<ReturnType<typeof pair>>;
  before(async () => {
    plain = await pair(false);
    deflate = await pair(true);
  });
  after(() => {
    for (const p of [plain, deflate]) {
      p.client.terminate();
      p.server.close();
    }
  });

  // Fails when a ws upgrade renames or changes _socket / _extensions: fix ws-internals.ts then.
  it('finds the upgraded TCP socket of an uncompressed connection, and frames written to it arrive', async () => {
    const raw = rawSocketOf(plain.ws);
    assert.ok(raw, 'ws no longer keeps the TCP socket where ws-internals.ts looks (_socket) or renamed _extensions');
    assert.equal(raw, plain.tcp, 'the raw socket is the upgrade request’s socket');
    const conn = connectionFor(plain.ws);
    assert.equal(conn.raw, raw);
    const arrived = nextMessage(plain.client);
    assert.equal(writer.sendEncoded(conn, Encoded.of({ hello: 'raw' })), true);
    assert.deepEqual(await arrived, { hello: 'raw' });
  });

  it('gives no raw socket when permessage-deflate was negotiated, and writes through ws.send instead', async () => {
    assert.match(deflate.client.extensions, /permessage-deflate/);
    assert.equal(rawSocketOf(deflate.ws), null, 'compressed frames must go through ws (_extensions no longer lists the extension?)');
    const conn = connectionFor(deflate.ws);
    const arrived = nextMessage(deflate.client);
    writer.broadcast([conn], { hello: 'compressed' });
    assert.deepEqual(await arrived, { hello: 'compressed' });
  });

  it('falls back to ws.send when the internals are absent', async () => {
    assert.equal(rawSocketOf({} as WebSocket), null);
    assert.equal(rawSocketOf({ _socket: plain.tcp } as unknown as WebSocket), null, 'without _extensions compression cannot be ruled out');
    const hidden = new Proxy(plain.ws, { get: (target, key) => (key === '_socket' ? undefined : Reflect.get(target, key)) });
    assert.equal(rawSocketOf(hidden), null);
    const conn = connectionFor(plain.ws);
    conn.raw = null;
    const arrived = nextMessage(plain.client);
    assert.equal(writer.send(conn, { hello: 'fallback' }), true);
    assert.deepEqual(await arrived, { hello: 'fallback' });
  });
});
