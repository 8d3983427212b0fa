/**
 * Socket.IO's default broadcast (`io.emit`) in the same harness, for comparison.
 * SIO_RECOVERY=1 turns on its connection state recovery (2-minute window), as the loss-under-churn bench compares.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 0);
let seq = 0;
const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/broadcast') {
    req.resume();
    req.on('end', () => {
      io.emit('bell_triggered', { scheduleItemId: null, soundId: '00000000-0000-4000-8000-000000000000', name: `bench ${++seq}` });
      res.writeHead(202).end();
    });
    return;
  }
  res.writeHead(404).end();
});
const io = new Server(server, {
  transports: ['websocket'],
  perMessageDeflate: false,
  serveClient: false,
  ...(process.env.SIO_RECOVERY === '1' ? { connectionStateRecovery: { maxDisconnectionDuration: 120_000, skipMiddlewares: true } } : {}),
});
server.listen(port, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));

const gc = (globalThis as { gc?: () => void }).gc;
if (gc) process.on('SIGUSR2', () => gc());
