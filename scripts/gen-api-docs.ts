/**
 * Generates docs/api.md, the API reference, from the descriptors of proto/gastrolog/v1 (`buf
 * build`, with source comments) — services and their RPCs, messages with every field, enums —
 * so the reference follows the protos. Run by scripts/gen; test/api-docs.test.ts fails when the
 * committed file is stale.   bun scripts/gen-api-docs.ts [--stdout]
 */

import { resolve } from "node:path";
import { createFileRegistry, fromBinary, type DescEnum, type DescField, type DescFile, type DescMessage, type DescService } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { getComments, getDeclarationString, getSyntaxComments } from "@bufbuild/protoplugin";

const ROOT = resolve(import.meta.dir, "..");
const PACKAGE = "gastrolog.v1";

function descriptorSet(): Uint8Array {
  const p = Bun.spawnSync([`${ROOT}/node_modules/.bin/buf`, "build", `${ROOT}/proto`, "--as-file-descriptor-set", "-o", "-"], { stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`buf build failed: ${p.stderr.toString()}`);
  return p.stdout;
}

/** A comment as Markdown text: leading comment lines joined into paragraphs. */
function text(comment: string | undefined): string {
  return (comment ?? "")
    .trim()
    .split(/\n\s*\n/)
    .map((para) => para.split("\n").map((l) => l.trim()).join(" "))
    .join("\n\n");
}

const anchor = (name: string) => name.toLowerCase().replace(/[^a-z0-9_-]/g, "");
const local = (typeName: string) => typeName.slice(PACKAGE.length + 1);
const link = (typeName: string) => (typeName.startsWith(PACKAGE + ".") ? `[${local(typeName)}](#${anchor(local(typeName))})` : `\`${typeName}\``);
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n+/g, " ");

/** A link to the message or enum a field refers to ("" for scalars). */
function fieldRef(f: DescField): string {
  switch (f.fieldKind) {
    case "message":
      return link(f.message.typeName);
    case "enum":
      return link(f.enum.typeName);
    case "list":
    case "map":
      return f.message ? link(f.message.typeName) : f.enum ? link(f.enum.typeName) : "";
    default:
      return "";
  }
}

function service(s: DescService, file: DescFile): string[] {
  const out = [`### ${s.name}`, "", text(getComments(s).leading) || text(getSyntaxComments(file).leading), ""];
  for (const m of s.methods) {
    const stream = (k: boolean) => (k ? "stream " : "");
    const input = m.methodKind === "client_streaming" || m.methodKind === "bidi_streaming";
    const output = m.methodKind === "server_streaming" || m.methodKind === "bidi_streaming";
    out.push(`#### ${s.name}.${m.name}`, "", `\`rpc ${m.name}(${stream(input)}${local(m.input.typeName)}) returns (${stream(output)}${local(m.output.typeName)})\` — request ${link(m.input.typeName)}, response ${link(m.output.typeName)}, path \`/${s.typeName}/${m.name}\``, "");
    const doc = text(getComments(m).leading);
    if (doc) out.push(doc, "");
  }
  return out;
}

function message(m: DescMessage): string[] {
  const name = local(m.typeName);
  const out = [`### ${name}`, ""];
  const doc = text(getComments(m).leading);
  if (doc) out.push(doc, "");
  if (m.fields.length === 0) return [...out, "No fields.", ""];
  out.push("| field | declaration | refers to | description |", "| --- | --- | --- | --- |");
  for (const f of m.fields) {
    const c = getComments(f);
    out.push(`| \`${f.name}\` | \`${getDeclarationString(f)}\` | ${fieldRef(f)} | ${cell(text(c.leading || c.trailing))} |`);
  }
  out.push("");
  for (const nested of m.nestedMessages) if (!nested.proto.options?.mapEntry) out.push(...message(nested));
  for (const e of m.nestedEnums) out.push(...enumeration(e));
  return out;
}

function enumeration(e: DescEnum): string[] {
  const out = [`### ${local(e.typeName)}`, ""];
  const doc = text(getComments(e).leading);
  if (doc) out.push(doc, "");
  out.push("| value | number | description |", "| --- | --- | --- |");
  for (const v of e.values) {
    const c = getComments(v);
    out.push(`| \`${v.name}\` | ${v.number} | ${cell(text(c.leading || c.trailing))} |`);
  }
  return [...out, ""];
}

/** The whole reference as Markdown. */
export function apiReference(): string {
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, descriptorSet()));
  const files = [...registry.files].filter((f) => f.proto.package === PACKAGE).sort((a, b) => a.name.localeCompare(b.name));
  const out = [
    "# API reference",
    "",
    "<!-- Generated from proto/gastrolog/v1/*.proto by scripts/gen-api-docs.ts (`bun run gen`); do not edit. test/api-docs.test.ts fails when it is stale. -->",
    "",
    `Package \`${PACKAGE}\`. Every RPC is served on the Unix socket (gRPC) and on the HTTP listener (Connect, gRPC and gRPC-Web); the path of a call is \`/${PACKAGE}.Service/Method\`. Timestamps are int64 epoch microseconds (\`*_us\`, 0 = unknown); raw log lines are \`bytes\`. gRPC server reflection (v1 and v1alpha) is on, so \`buf curl\` and \`grpcurl\` need no .proto files. The README's "Server" section shows example calls.`,
    "",
    "## Services",
    "",
  ];
  for (const f of files) for (const s of f.services) out.push(...service(s, f));
  out.push("## Messages and enums", "");
  for (const f of files) {
    out.push(`<!-- ${f.name}.proto -->`, "");
    for (const m of f.messages) out.push(...message(m));
    for (const e of f.enums) out.push(...enumeration(e));
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

if (import.meta.main) {
  const md = apiReference();
  if (process.argv.includes("--stdout")) process.stdout.write(md);
  else await Bun.write(`${ROOT}/docs/api.md`, md);
}
