// A TCP proxy in front of a real server (Azurite) that can freeze: while frozen it accepts connections and
// bytes but forwards nothing either way, as a storage endpoint behind a dead link or a stuck firewall does
// (no reset, no close). Thawing forwards new connections again.
import { createServer, connect, type Server, type Socket } from "node:net";

export interface FreezingProxy {
  port: number;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function startFreezingProxy(targetHost: string, targetPort: number): Promise<FreezingProxy> {
  let frozen = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => undefined);
    // A connection made while frozen stays silent for good: bytes in, nothing out.
    if (frozen) {
      client.resume();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("data", (chunk) => { if (!frozen) upstream.write(chunk); });
    upstream.on("data", (chunk) => { if (!frozen) client.write(chunk); });
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("proxy has no address");
  return {
    port: address.port,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      // Connections that froze are dead to their clients (bytes were swallowed): drop them.
      for (const socket of sockets) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
