/**
 * The baseline: a bare `ws` server that serializes once per broadcast (one
 * JSON.stringify and one Buffer, then ws.send to every client). Clients
 * register like bell players; POST /broadcast triggers one broadcast.
 */
import { createServer } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';

const port = Number(process.env.PORT ?? 0);
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: true });
let seq = 0;
const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/broadcast') {
    req.resume();
    req.on('end', () => {
      const frame = { type: 'bell_triggered', timestamp: new Date().toISOString(), payload: { scheduleItemId: null, soundId: '00000000-0000-4000-8000-000000000000', name: `bench ${++seq}` } };
      const data = Buffer.from(JSON.stringify(frame));
      for (const ws of wss.clients) if (ws.readyState === WebSocket.OPEN) ws.send(data, { binary: false });
      res.writeHead(202).end();
    });
    return;
  }
  res.writeHead(404).end();
});
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
wss.on('connection', (ws) => {
  ws.on('message', () =>
    ws.send(JSON.stringify({ type: 'connection_acknowledged', timestamp: new Date().toISOString(), payload: { connection_id: 'x', client_type: 'client', message: 'Connection successful' } })),
  );
});
server.listen(port, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));

const gc = (globalThis as { gc?: () => void }).gc;
if (gc) process.on('SIGUSR2', () => gc());
