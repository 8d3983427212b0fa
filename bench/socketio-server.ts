/** Socket.IO's default broadcast (`io.emit`) in the same harness, for comparison. */
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
const io = new Server(server, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
server.listen(port, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));

const gc = (globalThis as { gc?: () => void }).gc;
if (gc) process.on('SIGUSR2', () => gc());
