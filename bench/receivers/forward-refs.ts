/**
 * Trivial reference listeners for the forward bench, each just enough for its client to run at
 * full speed: a Fluent sink that splits MessagePack values and acks each chunk at once (nothing
 * decoded into records, nothing stored), a Lumberjack sink that reads only window counts and
 * compressed-frame lengths and acks each window at once (nothing inflated), and a TCP sink that
 * discards bytes.
 */

import type { TCPSocketListener } from "bun";
import { MessagePackStream, packMsgpack } from "../../src/ingest/receivers/fluent/msgpack.ts";

export interface Sink {
  port: number;
  stop(): void;
}

function listen<T>(open: () => T, data: (state: T, d: Uint8Array, write: (b: Uint8Array) => void) => void): Sink {
  const server: TCPSocketListener<{ state: T }> = Bun.listen<{ state: T }>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(s) {
        s.data = { state: open() };
      },
      data(s, d) {
        data(s.data.state, d, (b) => s.write(b));
      },
    },
  });
  return { port: server.port, stop: () => server.stop(true) };
}

/** Acks every Fluent chunk the moment its message is complete. */
export function fluentAckSink(): Sink {
  return listen(
    () => new MessagePackStream(1 << 30),
    (stream, d, write) =>
      stream.push(d, {
        value(v) {
          const option = Array.isArray(v) ? (v[v.length - 1] as { chunk?: string } | undefined) : undefined;
          if (option?.chunk) write(packMsgpack({ ack: option.chunk }));
        },
        error() {},
      }),
  );
}

/** Acks every Lumberjack window (`2W n` then one `2C`) with `2A n` once its bytes arrived. */
export function beatsAckSink(): Sink {
  return listen(
    () => ({ buf: Buffer.alloc(0), window: 0 }),
    (st, d, write) => {
      st.buf = st.buf.length === 0 ? Buffer.from(d) : Buffer.concat([st.buf, d]);
      for (;;) {
        if (st.buf.length < 6) return;
        const type = st.buf[1];
        const n = st.buf.readUInt32BE(2);
        if (type === 0x57) {
          st.window = n;
          st.buf = st.buf.subarray(6);
          continue;
        }
        if (st.buf.length < 6 + n) return;
        st.buf = st.buf.subarray(6 + n);
        const ack = Buffer.alloc(6);
        ack.write("2A");
        ack.writeUInt32BE(st.window, 2);
        write(ack);
      }
    },
  );
}

/** Discards everything. */
export function discardSink(): Sink {
  return listen(
    () => undefined,
    () => {},
  );
}
