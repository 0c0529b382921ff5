/**
 * node_net:* from `net.client.socket` (a client socket was created: the agent reads its
 * addresses once it has connected, through a `connect` listener, which changes nothing for the
 * app), `net.server.socket` (a server accepted a connection) and Node 20's tracing channel
 * `tracing:net.server.listen` (`asyncEnd`: listening; `error`: listen failed).
 */
import { performance } from "node:perf_hooks";
import { subscribeWhileEnabled } from "./channels.js";
import { netClientConnect, netServerConnection, netServerListen, netServerListenError } from "./events.js";
import { swallow } from "./guard.js";
import { durationNs } from "./ids.js";

interface SocketLike {
  remoteAddress?: string;
  remotePort?: number;
  localAddress?: string;
  localPort?: number;
  once(event: string, f: () => void): unknown;
}
interface ServerLike {
  address(): string | { address: string; port: number } | null;
}

export function installNet(): void {
  subscribeWhileEnabled("node_net:client", [netClientConnect], {
    "net.client.socket": (m) => {
      const { socket } = m as { socket: SocketLike };
      const t0 = performance.now();
      socket.once("connect", () => {
        try {
          if (netClientConnect.enabled)
            netClientConnect(
              socket.remoteAddress ?? "",
              socket.remotePort ?? 0,
              socket.localAddress ?? "",
              socket.localPort ?? 0,
              durationNs(t0, performance.now()),
            );
        } catch (e) {
          swallow("node_net:client_connect", e);
        }
      });
    },
  });
  subscribeWhileEnabled("node_net:server", [netServerConnection], {
    "net.server.socket": (m) => {
      const { socket } = m as { socket: SocketLike };
      netServerConnection(
        socket.remoteAddress ?? "",
        socket.remotePort ?? 0,
        socket.localAddress ?? "",
        socket.localPort ?? 0,
      );
    },
  });
  subscribeWhileEnabled("node_net:listen", [netServerListen, netServerListenError], {
    "tracing:net.server.listen:asyncEnd": (m) => {
      if (!netServerListen.enabled) return;
      const a = (m as { server: ServerLike }).server.address();
      if (a === null) return;
      if (typeof a === "string") netServerListen(a, 0);
      else netServerListen(a.address, a.port);
    },
    "tracing:net.server.listen:error": (m) => {
      if (!netServerListenError.enabled) return;
      const e = (m as { error?: unknown }).error;
      netServerListenError(e instanceof Error ? e.message : String(e));
    },
  });
}
