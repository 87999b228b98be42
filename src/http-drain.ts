import http from 'node:http';
import { Socket } from 'node:net';

/**
 * Graceful HTTP shutdown. Apollo's drain plugin half-closes idle keep-alive sockets and then
 * waits for the client to close its end, so one idle client held the exit for the whole grace
 * period. Here: stop accepting, destroy idle sockets at once, let in-flight requests finish
 * (their responses carry `Connection: close`), and destroy whatever is left at the deadline.
 */
export class HttpDrain {
  private readonly active = new Map<Socket, number>();
  private readonly inFlight = new Set<http.ServerResponse>();
  private draining = false;

  constructor(private readonly server: http.Server) {
    server.on('connection', (socket: Socket) => {
      this.active.set(socket, 0);
      socket.once('close', () => this.active.delete(socket));
    });
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const socket = req.socket;
      this.active.set(socket, (this.active.get(socket) ?? 0) + 1);
      this.inFlight.add(res);
      if (this.draining) res.shouldKeepAlive = false;
      res.once('close', () => {
        this.inFlight.delete(res);
        const left = (this.active.get(socket) ?? 1) - 1;
        this.active.set(socket, left);
        if (this.draining && left === 0) socket.destroySoon();
      });
    });
  }

  /** Requests still being answered. */
  get pending(): number {
    return this.inFlight.size;
  }

  /** Resolves true when every request finished within `graceMs`, false when some were cut. */
  async drain(graceMs: number): Promise<boolean> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const res of this.inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    for (const [socket, requests] of this.active) if (requests === 0) socket.destroy();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        for (const socket of this.active.keys()) socket.destroy();
        resolve(false);
      }, graceMs);
    });
    const graceful = await Promise.race([closed.then(() => true), deadline]);
    clearTimeout(timer);
    await closed;
    return graceful;
  }
}
