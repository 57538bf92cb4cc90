import { expect, test } from "bun:test";
import { until } from "../../../test/support/until.ts";
import { interruptions } from "./signals.ts";

test("the first signal aborts, the second forces, disposal removes the handlers", async () => {
  const before = process.listenerCount("SIGTERM");
  {
    using stop = interruptions();
    let forced: string | undefined;
    void stop.forced.then((s) => (forced = s));
    process.kill(process.pid, "SIGTERM");
    await until(() => stop.signal.aborted, { what: "the stop signal" });
    expect({ received: stop.received, forced }).toEqual({ received: "SIGTERM", forced: undefined });
    process.kill(process.pid, "SIGINT");
    await until(() => forced !== undefined, { what: "the forced exit" });
    expect({ received: stop.received, forced }).toEqual({ received: "SIGTERM", forced: "SIGINT" });
  }
  expect(process.listenerCount("SIGTERM")).toBe(before);
});
