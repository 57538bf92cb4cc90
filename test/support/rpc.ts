/** RPC test helpers shared by in-process and whole-binary API tests. */

import { Code, ConnectError } from "@connectrpc/connect";

/** The Connect code a call failed with, or undefined when it succeeded. */
export async function codeOf(p: Promise<unknown>): Promise<Code | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return ConnectError.from(err).code;
  }
}
