/**
 * deploy/helm/gastrolog with the real Helm (scripts/fetch-helm puts it at .tools/helm): `helm
 * lint --strict`, `helm template` with several value sets, then every rendered object checked
 * against the Kubernetes API schema twice — kubernetes-models' JSON-schema validation (types,
 * required fields, formats) and a TypeScript compile against its interfaces (catches unknown
 * fields, which the schemas allow) — and the rendered config accepted by `gastrolog config apply`.
 * Not checked here: a real API server (admission, defaults, a scheduled pod).
 */

import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runBinary } from "./support/binary.ts";
import { serverDir } from "./support/server.ts";

const ROOT = resolve(import.meta.dir, "..");
const CHART = join(ROOT, "deploy/helm/gastrolog");
const HELM = Bun.which("helm", { PATH: join(ROOT, ".tools") });
mkdirSync(join(ROOT, ".tmp"), { recursive: true });
const work = mkdtempSync(join(ROOT, ".tmp/helm-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Obj = { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: unknown };

async function helm(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([HELM!, ...args], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out, err };
}

async function render(values: string): Promise<Obj[]> {
  const file = join(work, `values-${Bun.hash(values)}.yaml`);
  writeFileSync(file, values);
  const r = await helm(["template", "rel", CHART, "--namespace", "logs", "-f", file]);
  if (r.code !== 0) throw new Error(`helm template: ${r.err}`);
  return (Bun.YAML.parse(r.out.replace(/^---$/gm, "\n---")) as Obj[]).filter(Boolean);
}

const modulePath = (o: Obj) => `kubernetes-models/${o.apiVersion.includes("/") ? o.apiVersion : `v1`}/${o.kind}`;

/** kubernetes-models validation; returns "ok" or the validator's message. */
async function schemaCheck(o: Obj): Promise<string> {
  const Model = (await import(modulePath(o)))[o.kind];
  try {
    new Model(o).validate();
    return "ok";
  } catch (err) {
    return (err as Error).message;
  }
}

/** Type-checks each object as a literal of its kubernetes-models interface; tsc's errors per object index. */
async function typeCheck(objs: Obj[]): Promise<string[]> {
  const dir = mkdtempSync(join(work, "ts-"));
  const src = objs.map((o, i) => `import type { I${o.kind} as T${i} } from "${modulePath(o)}";\nexport const o${i}: T${i} = ${JSON.stringify(o, null, 1)};\n`).join("");
  writeFileSync(join(dir, "objects.ts"), src);
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "Preserve", moduleResolution: "bundler", skipLibCheck: true, types: [] }, files: ["objects.ts"] }));
  const p = Bun.spawn([join(ROOT, "node_modules/.bin/tsc"), "-p", join(dir, "tsconfig.json")], { stdout: "pipe", stderr: "pipe" });
  const out = (await new Response(p.stdout).text()) + (await new Response(p.stderr).text());
  await p.exited;
  return out.split("\n").filter((l) => l.includes("error TS"));
}

const CASES = [
  { name: "defaults", values: "", objects: ["ConfigMap/rel-gastrolog", "Service/rel-gastrolog-receivers", "Service/rel-gastrolog", "Service/rel-gastrolog-headless", "StatefulSet/rel-gastrolog"] },
  {
    name: "no receivers, no persistence, pinned image, extra args",
    values: "config:\n  receivers: []\npersistence:\n  enabled: false\nimage:\n  repository: registry.example/gastrolog\n  tag: 1.2.3\nextraArgs: [--log-level=debug]\n",
    objects: ["ConfigMap/rel-gastrolog", "Service/rel-gastrolog", "Service/rel-gastrolog-headless", "StatefulSet/rel-gastrolog"],
  },
];

test.skipIf(!HELM)("helm lint --strict passes (needs .tools/helm: bash scripts/fetch-helm)", async () => {
  const r = await helm(["lint", "--strict", CHART]);
  expect({ code: r.code, failed: r.out.includes("0 chart(s) failed") ? "0 failed" : r.out }).toEqual({ code: 0, failed: "0 failed" });
});

test.skipIf(!HELM)("every rendered object matches the Kubernetes schema and types; the config is valid (needs .tools/helm)", async () => {
  for (const c of CASES) {
    const objs = await render(c.values);
    expect({ name: c.name, objects: objs.map((o) => `${o.kind}/${o.metadata.name}`) }).toEqual({ name: c.name, objects: c.objects });
    for (const o of objs) expect({ case: c.name, object: `${o.kind}/${o.metadata.name}`, schema: await schemaCheck(o) }).toEqual({ case: c.name, object: `${o.kind}/${o.metadata.name}`, schema: "ok" });
    expect({ name: c.name, typeErrors: await typeCheck(objs) }).toEqual({ name: c.name, typeErrors: [] });

    const config = join(work, "config.json");
    writeFileSync(config, (objs.find((o) => o.kind === "ConfigMap")!.data as Record<string, string>)["config.json"]!);
    const d = serverDir();
    const applied = await runBinary(["config", "apply", config, "--data", d.dir]);
    d.cleanup();
    expect({ name: c.name, code: applied.code, err: applied.stderr }).toEqual({ name: c.name, code: 0, err: "" });
  }
});

test.skipIf(!HELM)("the StatefulSet: probes, non-root read-only pod, config through --config, a PVC, receiver ports from the config (needs .tools/helm)", async () => {
  const sts = (await render("")).find((o) => o.kind === "StatefulSet") as any;
  const pod = sts.spec.template.spec;
  const c = pod.containers[0];
  expect({
    args: c.args,
    ports: c.ports.map((p: any) => `${p.name}:${p.containerPort}/${p.protocol}`),
    liveness: c.livenessProbe.httpGet,
    readiness: c.readinessProbe.httpGet,
    podSecurity: pod.securityContext,
    security: c.securityContext,
    mounts: c.volumeMounts.map((m: any) => m.mountPath),
    config: pod.volumes.find((v: any) => v.name === "config").configMap.name,
    claim: sts.spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.resources.requests.storage]),
    limits: c.resources.limits,
  }).toEqual({
    args: ["serve", "--data=/data", "--listen=:4564", "--config=/etc/gastrolog/config.json", "--log-format=json"],
    ports: ["api:4564/TCP", "udp-5514:5514/UDP", "tcp-5514:5514/TCP", "udp-12201:12201/UDP", "tcp-12201:12201/TCP", "tcp-3100:3100/TCP"],
    liveness: { path: "/healthz", port: "api" },
    readiness: { path: "/readyz", port: "api" },
    podSecurity: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, fsGroupChangePolicy: "OnRootMismatch", seccompProfile: { type: "RuntimeDefault" } },
    security: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    mounts: ["/data", "/etc/gastrolog", "/tmp"],
    config: "rel-gastrolog",
    claim: [["data", "10Gi"]],
    limits: { memory: "1Gi" },
  });
});

test("the two checks catch what they are for: a wrong type and an unknown field", async () => {
  const bad = { apiVersion: "v1", kind: "Service", metadata: { name: "x" }, spec: { ports: [{ port: "http" }] } };
  expect(await schemaCheck(bad)).toContain("data/spec/ports/0/port must be integer");
  const typo = { apiVersion: "v1", kind: "Service", metadata: { name: "x" }, spec: { ports: [{ port: 1, targetPrt: 2 }] } };
  expect((await typeCheck([typo])).map((l) => l.replace(/^.*error (TS\d+): .* and '"?(\w+)"?' does not exist.*$/, "$1 $2"))).toEqual(["TS2353 targetPrt"]);
});
