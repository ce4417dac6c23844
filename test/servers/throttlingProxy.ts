// A TCP proxy that limits each connection to a set rate (default 40 MB/s) from the server to the client:
// what one connection to Azure storage gets over a real network. Azurite on loopback hides that regime
// (one stream there runs at hundreds of MB/s), so the preview benchmark goes through this.
import { connect, createServer, type Socket } from "node:net";

export interface ThrottlingProxy {
  port: number;
  close(): Promise<void>;
}

export async function startThrottlingProxy(targetHost: string, targetPort: number, bytesPerSecond = 40 * 1024 * 1024): Promise<ThrottlingProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    // Paced: each chunk leaves when the connection's budget allows; the server is paused meanwhile.
    let next = performance.now();
    upstream.on("data", (chunk: Buffer) => {
      const now = performance.now();
      next = Math.max(next, now) + (chunk.length / bytesPerSecond) * 1000;
      const wait = next - now;
      if (wait < 1) {
        client.write(chunk);
        return;
      }
      upstream.pause();
      setTimeout(() => {
        client.write(chunk);
        upstream.resume();
      }, wait);
    });
    upstream.on("end", () => {
      // After the last paced write.
      const wait = Math.max(0, next - performance.now());
      setTimeout(() => client.end(), wait + 1);
    });
    client.on("end", () => upstream.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("proxy has no address");
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
