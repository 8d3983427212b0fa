import { AddressInfo, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of the test app, so a test can cut the network:
 * `drop()` destroys every connection through it at once, as a pulled cable
 * or a dead Wi-Fi would, without the server or the client closing anything.
 */
export class TcpProxy {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly pairs: Set<[Socket, Socket]>,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const pairs = new Set<[Socket, Socket]>();
    const server = createServer((client) => {
      const upstream = new Socket();
      const pair: [Socket, Socket] = [client, upstream];
      pairs.add(pair);
      const end = () => {
        pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      upstream.connect(targetPort, '127.0.0.1', () => {
        client.pipe(upstream);
        upstream.pipe(client);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new TcpProxy(server, (server.address() as AddressInfo).port, pairs);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get connections(): number {
    return this.pairs.size;
  }

  /**
   * Freezes every current connection: bytes stop flowing both ways but no
   * socket closes, like a link that died silently (a NAT that forgot the
   * flow). New connections pass as usual.
   */
  freeze(): void {
    for (const [a, b] of this.pairs) {
      a.unpipe(b);
      b.unpipe(a);
      a.on('data', () => undefined);
      b.on('data', () => undefined);
    }
  }

  drop(): void {
    for (const [a, b] of [...this.pairs]) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  async stop(): Promise<void> {
    this.drop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
