/** What clients/otlp-send.cjs sends, as the OTLP receiver stores it (shared by the OTLP client and binary tests). */

/** What otlp-send.cjs emits for record i, as stored. */
export function expectedOtlp(i: number) {
  const attrs: Record<string, string> = {
    receiver: "r1",
    "service.name": "otlp-test",
    "host.name": "vm",
    "otel.scope.name": "otlp-send",
    "otel.scope.version": "1.2.3",
    severity: i % 3 === 1 ? "ERROR" : "INFO",
    severity_number: i % 3 === 1 ? "17" : "9",
    i: String(i),
    kind: "k",
    ratio: "0.5",
    ok: String(i % 2 === 0),
    tags: JSON.stringify(["a", String(i)]),
  };
  if (i % 3 === 2) Object.assign(attrs, { trace_id: "5b8efff798038103d269b633813fc60c", span_id: "eee19b7ec3c1b174" });
  return { raw: i % 3 === 1 ? JSON.stringify({ structured: "body", n: i }) : `event ${i}`, attrs, sourceTs: (1795726040000 + i) * 1000 };
}

