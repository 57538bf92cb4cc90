/**
 * A SASL-checking front for librdkafka's mock cluster, which speaks no SASL and no TLS (its
 * request handlers, rdkafka_mock_handlers.c in librdkafka 2.0.2 as Debian ships it and still
 * upstream, have none for SaslHandshake or SaslAuthenticate). This is NOT a Kafka broker: it
 * answers the SASL exchange itself as Kafka's protocol defines it — SaslHandshake v0-1, then
 * SaslAuthenticate v0-1 with PLAIN (RFC 4616) or SCRAM-SHA-256/512 (RFC 5802/7677, the
 * server's proof checked and its signature sent) for one user — and refuses every other
 * request before that (closing, as a broker does). ApiVersions is passed to the mock broker
 * and its answer gains the two SASL APIs. Once authenticated, the connection is piped to the
 * mock broker, with the broker address in Metadata and FindCoordinator answers rewritten to
 * this front so the client's later connections come through it (and authenticate) too.
 * With a certificate it listens with TLS (SASL_SSL), which the mock broker cannot either.
 */

import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";

export type Mechanism = "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";

export interface SaslFront extends AsyncDisposable {
  /** "127.0.0.1:PORT" */
  address: string;
  /** Successful SaslAuthenticate exchanges, per mechanism. */
  authenticated: Partial<Record<Mechanism, number>>;
  /** Refused SaslAuthenticate exchanges (wrong user or password). */
  failed: number;
}

const API = { Metadata: 3, FindCoordinator: 10, SaslHandshake: 17, ApiVersions: 18, SaslAuthenticate: 36 } as const;
const ERR = { unsupportedMechanism: 33, illegalState: 34, authenticationFailed: 58 } as const;
const SCRAM_ITERATIONS = 4096;

/** Length-prefixed Kafka frames out of a byte stream. */
class Frames {
  private buf = Buffer.alloc(0);
  push(chunk: Buffer): Buffer[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    while (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readInt32BE(0)) {
      const n = this.buf.readInt32BE(0);
      out.push(this.buf.subarray(4, 4 + n));
      this.buf = this.buf.subarray(4 + n);
    }
    return out;
  }
}

const int16 = (v: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
};
const int32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
};
const str = (s: string | null) => (s === null ? int16(-1) : Buffer.concat([int16(Buffer.byteLength(s)), Buffer.from(s)]));
const bytes = (b: Buffer) => Buffer.concat([int32(b.length), b]);
const frame = (correlation: number, body: Buffer) => Buffer.concat([int32(4 + body.length), int32(correlation), body]);

/** Starts a front for the mock broker at `broker` ("HOST:PORT") accepting `user` with `password`, with TLS given a certificate. */
export async function startSaslFront(broker: string, mechanism: Mechanism, user: string, password: string, tls?: { certFile: string; keyFile: string }): Promise<SaslFront> {
  const [brokerHost, brokerPort] = [broker.slice(0, broker.lastIndexOf(":")), Number(broker.slice(broker.lastIndexOf(":") + 1))];
  const sockets = new Set<Socket>();
  const front: SaslFront = {
    address: "",
    authenticated: {},
    failed: 0,
    async [Symbol.asyncDispose]() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
  const accept = (client: Socket) => {
    const upstream = connect(brokerPort, brokerHost);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    const asked = new Map<number, { key: number; version: number }>();
    let authenticated = false;
    let handshaken = false;
    let scram: { clientFirstBare: string; serverFirst: string; nonce: string; salt: Buffer } | undefined;
    const fromClient = new Frames();
    client.on("data", (chunk: Buffer) => {
      for (const req of fromClient.push(chunk)) {
        const [key, version, correlation] = [req.readInt16BE(0), req.readInt16BE(2), req.readInt32BE(4)];
        const body = req.subarray(10 + Math.max(0, req.readInt16BE(8)));
        if (authenticated || key === API.ApiVersions) {
          asked.set(correlation, { key, version });
          upstream.write(Buffer.concat([int32(req.length), req]));
        } else if (key === API.SaslHandshake) {
          const wanted = body.subarray(2, 2 + body.readInt16BE(0)).toString();
          handshaken = wanted === mechanism;
          client.write(frame(correlation, Buffer.concat([int16(handshaken ? 0 : ERR.unsupportedMechanism), int32(1), str(mechanism)])));
        } else if (key === API.SaslAuthenticate && handshaken) {
          const token = body.subarray(4, 4 + body.readInt32BE(0));
          const answer = (error: number, message: string | null, reply: Buffer) =>
            client.write(frame(correlation, Buffer.concat([int16(error), str(message), bytes(reply), ...(version >= 1 ? [Buffer.alloc(8)] : [])])));
          const refuse = () => {
            front.failed++;
            answer(ERR.authenticationFailed, `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`, Buffer.alloc(0));
            client.end();
          };
          if (mechanism === "PLAIN") {
            const [, name, pass] = token.toString().split("\0");
            if (name !== user || pass !== password) refuse();
            else {
              authenticated = true;
              front.authenticated.PLAIN = (front.authenticated.PLAIN ?? 0) + 1;
              answer(0, null, Buffer.alloc(0));
            }
          } else if (scram === undefined) {
            // client-first: "n,,n=USER,r=NONCE"
            const clientFirstBare = token.toString().slice(3);
            const attrs = scramAttrs(clientFirstBare);
            if (attrs.n !== user) {
              refuse();
              continue;
            }
            const salt = randomBytes(16);
            const nonce = attrs.r! + randomBytes(18).toString("base64");
            const serverFirst = `r=${nonce},s=${salt.toString("base64")},i=${SCRAM_ITERATIONS}`;
            scram = { clientFirstBare, serverFirst, nonce, salt };
            answer(0, null, Buffer.from(serverFirst));
          } else {
            // client-final: "c=biws,r=NONCE,p=PROOF"
            const final = token.toString();
            const withoutProof = final.slice(0, final.lastIndexOf(",p="));
            const attrs = scramAttrs(final);
            const hash = mechanism === "SCRAM-SHA-256" ? "sha256" : "sha512";
            const salted = pbkdf2Sync(password, scram.salt, SCRAM_ITERATIONS, hash === "sha256" ? 32 : 64, hash);
            const clientKey = createHmac(hash, salted).update("Client Key").digest();
            const storedKey = createHash(hash).update(clientKey).digest();
            const authMessage = `${scram.clientFirstBare},${scram.serverFirst},${withoutProof}`;
            const signature = createHmac(hash, storedKey).update(authMessage).digest();
            const proof = Buffer.from(attrs.p ?? "", "base64");
            const recovered = proof.length === signature.length ? Buffer.from(proof.map((b, i) => b ^ signature[i]!)) : Buffer.alloc(0);
            const ok = attrs.r === scram.nonce && recovered.length > 0 && timingSafeEqual(createHash(hash).update(recovered).digest(), storedKey);
            if (!ok) refuse();
            else {
              authenticated = true;
              front.authenticated[mechanism] = (front.authenticated[mechanism] ?? 0) + 1;
              const serverKey = createHmac(hash, salted).update("Server Key").digest();
              answer(0, null, Buffer.from(`v=${createHmac(hash, serverKey).update(authMessage).digest("base64")}`));
            }
          }
        } else {
          // A broker that requires SASL closes a connection sending anything else first.
          client.write(frame(correlation, int16(ERR.illegalState)));
          client.end();
        }
      }
    });
    const fromBroker = new Frames();
    upstream.on("data", (chunk: Buffer) => {
      for (const res of fromBroker.push(chunk)) {
        const correlation = res.readInt32BE(0);
        const req = asked.get(correlation);
        asked.delete(correlation);
        const body = res.subarray(4);
        const rewritten = req ? rewrite(req.key, req.version, body, front.address) : body;
        client.write(frame(correlation, rewritten));
      }
    });
  };
  const server: Server = tls ? createTlsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, accept) : createServer(accept);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  front.address = `127.0.0.1:${port}`;
  return front;
}

function scramAttrs(message: string): Record<string, string> {
  return Object.fromEntries(message.split(",").map((kv) => [kv.slice(0, 1), kv.slice(2)]));
}

/** The broker's answer with the SASL APIs advertised and the broker address replaced by `address`. */
function rewrite(key: number, version: number, body: Buffer, address: string): Buffer {
  const host = address.slice(0, address.lastIndexOf(":"));
  const port = Number(address.slice(address.lastIndexOf(":") + 1));
  if (key === API.ApiVersions && version <= 2 && body.readInt16BE(0) === 0) {
    const n = body.readInt32BE(2);
    const entries: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      const e = body.subarray(6 + i * 6, 12 + i * 6);
      if (e.readInt16BE(0) !== API.SaslHandshake && e.readInt16BE(0) !== API.SaslAuthenticate) entries.push(e);
    }
    const sasl = [API.SaslHandshake, API.SaslAuthenticate].map((k) => Buffer.concat([int16(k), int16(0), int16(1)]));
    return Buffer.concat([body.subarray(0, 2), int32(entries.length + 2), ...entries, ...sasl, body.subarray(6 + n * 6)]);
  }
  if (key === API.Metadata && version <= 8) {
    let at = version >= 3 ? 4 : 0;
    const parts = [body.subarray(0, at)];
    const n = body.readInt32BE(at);
    parts.push(body.subarray(at, at + 4));
    at += 4;
    for (let i = 0; i < n; i++) {
      parts.push(body.subarray(at, at + 4)); // node_id
      at += 4;
      at += 2 + body.readInt16BE(at) + 4; // host, port
      parts.push(str(host), int32(port));
      if (version >= 1) {
        const rack = body.readInt16BE(at);
        parts.push(body.subarray(at, at + 2 + Math.max(0, rack)));
        at += 2 + Math.max(0, rack);
      }
    }
    parts.push(body.subarray(at));
    return Buffer.concat(parts);
  }
  if (key === API.FindCoordinator && version <= 2) {
    let at = version >= 1 ? 4 + 2 : 2;
    if (version >= 1) at += 2 + Math.max(0, body.readInt16BE(at)); // error_message
    const head = body.subarray(0, at + 4); // through node_id
    at += 4;
    at += 2 + body.readInt16BE(at) + 4;
    return Buffer.concat([head, str(host), int32(port), body.subarray(at)]);
  }
  return body;
}
