/**
 * Receiver settings checked before anything runs: the per-type validators the config store
 * uses (`gastrolog config set`, ApplyConfig, --config files) and `serve --receiver TYPE=URL`
 * flags. Both reuse the receivers' own constructor checks (options, listen schemes, TLS) by
 * building the receiver on an idle pipeline without starting it: nothing binds, nothing runs.
 */

import type { ConfigProblem } from "../../config/problems.ts";
import type { ReceiverEntry } from "../../config/schema.ts";
import type { ConfigStoreOptions } from "../../config/store.ts";
import type { ReceiverValidator } from "../../config/validate-receivers.ts";
import { errorMessage, LogError } from "../../core/errors.ts";
import { parseReceiverFlag } from "../../ingest/receivers/flag.ts";
import { IngestPipeline } from "../../ingest/pipeline/pipeline.ts";
import { RECEIVER_TYPES } from "../../ingest/receivers/registry.ts";
import { toIngestReceiverConfig } from "./receiver-factories.ts";
import { stringParams } from "./receivers.ts";

/** Never pushed to: validation only constructs receivers. */
const IDLE_PIPELINE = new IngestPipeline({ append: () => Promise.resolve() });

/** A receiver's error message without its "receiver ID (type): " prefix (the path names it). */
function problem(err: unknown): ConfigProblem {
  const message = errorMessage(err)
    .replace(/^receiver [^ :]+( \([a-z0-9_-]+\))?: /, "")
    .replace("tls.certFile and tls.keyFile", "tls.cert and tls.key");
  const option = /option "?([A-Za-z0-9_]+)"?/.exec(message);
  return { path: option ? `options.${option[1]}` : /tls|listen|:\/\//.test(message) ? "listen" : "options", message };
}

/** Validators for every receiver type this build runs (unknown types are then rejected). */
export function receiverValidators(): Record<string, ReceiverValidator> {
  const out: Record<string, ReceiverValidator> = {
    chatterbox: (r) => {
      try {
        const { parseChatterboxParams } = require("../../ingest/receivers/chatterbox/params.ts") as typeof import("../../ingest/receivers/chatterbox/params.ts");
        parseChatterboxParams(stringParams(r.options));
        return [];
      } catch (err) {
        return [{ path: "options", message: errorMessage(err) }];
      }
    },
  };
  for (const [type, create] of Object.entries(RECEIVER_TYPES)) {
    out[type] = (r) => {
      try {
        create()(toIngestReceiverConfig(r), { pipeline: IDLE_PIPELINE });
        return [];
      } catch (err) {
        return [problem(err)];
      }
    };
  }
  return out;
}

/**
 * Options every config store of this binary gets for writing: the receiver types this build
 * runs with their option checks (a receiver of another type, or with bad options, is
 * rejected). The server, `repl --embedded --data` and local config writes pass the same.
 */
export function configStoreOptions(): ConfigStoreOptions {
  return { receiverTypes: receiverValidators() };
}

/**
 * `serve --receiver TYPE=URL[,URL...]` values as receiver entries (enabled, no options, ids
 * `TYPE-SCHEME-PORT`, suffixed `-2`, `-3` when repeated). Only network types; chatterbox is
 * --demo. Throws LogError("invalid_argument") quoting the flag for a bad value, an unknown type
 * or a listen URL the type refuses.
 */
export function receiverFlagConfigs(values: readonly string[]): ReceiverEntry[] {
  const validators = receiverValidators();
  const seen = new Map<string, number>();
  return values.map((value) => {
    const f = parseReceiverFlag(value);
    const n = (seen.get(f.id) ?? 0) + 1;
    seen.set(f.id, n);
    const c: ReceiverEntry = { id: n === 1 ? f.id : `${f.id}-${n}`, type: f.type, enabled: true, listen: f.listen, options: {} };
    if (!Object.hasOwn(RECEIVER_TYPES, c.type)) {
      throw new LogError("invalid_argument", `--receiver ${JSON.stringify(value)}: unknown type "${c.type}" (known: ${Object.keys(RECEIVER_TYPES).join(", ")}; the demo receiver is --demo)`);
    }
    const problems = validators[c.type]!(c);
    if (problems.length > 0) throw new LogError("invalid_argument", `--receiver ${JSON.stringify(value)}: ${problems.map((p) => p.message).join("; ")}`);
    return c;
  });
}
