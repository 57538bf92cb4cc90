/**
 * gRPC server reflection (grpc.reflection.v1 and v1alpha) built from the generated file
 * descriptors, so `buf curl --list-services` and grpcurl work without .proto files. No
 * maintained package does this for connect-es v2. Answers list_services, file_by_filename and
 * file_containing_symbol (with transitive dependencies); extensions are reported as not found.
 */

import { toBinary, type DescFile, type DescMessage, type DescService } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import type { EngineHost } from "./host.ts";
import { API_SERVICES, registerServices } from "./routes.ts";
import * as v1 from "./gen/grpc/reflection/v1/reflection_pb.ts";
import * as v1alpha from "./gen/grpc/reflection/v1alpha/reflection_pb.ts";

/** gRPC status NOT_FOUND, as used in reflection error responses. */
const NOT_FOUND = 5;

/** The reflection responses' oneof, identical in v1 and v1alpha. */
type Answer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "allExtensionNumbersResponse"; value: { baseTypeName: string; extensionNumber: number[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

/** The request oneof, identical in v1 and v1alpha. */
type Question = v1.ServerReflectionRequest["messageRequest"] | v1alpha.ServerReflectionRequest["messageRequest"];

/** Descriptor lookups over a set of services and all files they depend on. */
export class DescriptorIndex {
  private readonly files = new Map<string, DescFile>();
  private readonly symbols = new Map<string, DescFile>();

  constructor(readonly services: readonly DescService[]) {
    for (const s of services) this.addFile(s.file);
  }

  private addFile(f: DescFile): void {
    if (this.files.has(f.name + ".proto")) return;
    this.files.set(f.name + ".proto", f);
    for (const d of f.dependencies) this.addFile(d);
    const addMessage = (m: DescMessage) => {
      this.symbols.set(m.typeName, f);
      for (const n of m.nestedMessages) addMessage(n);
      for (const e of m.nestedEnums) this.symbols.set(e.typeName, f);
    };
    for (const m of f.messages) addMessage(m);
    for (const e of f.enums) this.symbols.set(e.typeName, f);
    for (const s of f.services) {
      this.symbols.set(s.typeName, f);
      for (const m of s.methods) this.symbols.set(`${s.typeName}.${m.name}`, f);
    }
  }

  fileByName(name: string): DescFile | undefined {
    return this.files.get(name);
  }

  fileBySymbol(symbol: string): DescFile | undefined {
    return this.symbols.get(symbol.startsWith(".") ? symbol.slice(1) : symbol);
  }

  /** Serialized FileDescriptorProtos of `f` and everything it imports, `f` first. */
  encodeWithDeps(f: DescFile): Uint8Array[] {
    const out: Uint8Array[] = [];
    const seen = new Set<string>();
    const visit = (x: DescFile) => {
      if (seen.has(x.name)) return;
      seen.add(x.name);
      out.push(toBinary(FileDescriptorProtoSchema, x.proto));
      for (const d of x.dependencies) visit(d);
    };
    visit(f);
    return out;
  }
}

function fileAnswer(index: DescriptorIndex, f: DescFile | undefined, what: string): Answer {
  if (!f) return { case: "errorResponse", value: { errorCode: NOT_FOUND, errorMessage: `${what} not found` } };
  return { case: "fileDescriptorResponse", value: { fileDescriptorProto: index.encodeWithDeps(f) } };
}

/** Answers one reflection request. */
export function answer(index: DescriptorIndex, q: Question): Answer {
  switch (q.case) {
    case "listServices":
      return { case: "listServicesResponse", value: { service: index.services.map((s) => ({ name: s.typeName })) } };
    case "fileByFilename":
      return fileAnswer(index, index.fileByName(q.value), `file '${q.value}'`);
    case "fileContainingSymbol":
      return fileAnswer(index, index.fileBySymbol(q.value), `symbol '${q.value}'`);
    case "allExtensionNumbersOfType":
      return index.fileBySymbol(q.value)
        ? { case: "allExtensionNumbersResponse", value: { baseTypeName: q.value, extensionNumber: [] } }
        : { case: "errorResponse", value: { errorCode: NOT_FOUND, errorMessage: `type '${q.value}' not found` } };
    case "fileContainingExtension":
      return { case: "errorResponse", value: { errorCode: NOT_FOUND, errorMessage: `extension ${q.value.containingType}(${q.value.extensionNumber}) not found` } };
    default:
      return { case: "errorResponse", value: { errorCode: 3, errorMessage: "empty reflection request" } };
  }
}

/** Registers both reflection versions, describing `services` plus the reflection services. */
export function registerReflection(router: ConnectRouter, services: readonly DescService[]): void {
  const index = new DescriptorIndex([...services, v1.ServerReflection, v1alpha.ServerReflection]);
  router.service(v1.ServerReflection, {
    async *serverReflectionInfo(reqs) {
      for await (const r of reqs) yield { validHost: r.host, originalRequest: r, messageResponse: answer(index, r.messageRequest) };
    },
  });
  router.service(v1alpha.ServerReflection, {
    async *serverReflectionInfo(reqs) {
      for await (const r of reqs) yield { validHost: r.host, originalRequest: r, messageResponse: answer(index, r.messageRequest) };
    },
  });
}

/** What the server's listeners serve: every GastroLog service backed by `host`, plus reflection. */
export function registerServicesWithReflection(router: ConnectRouter, host: EngineHost): void {
  registerServices(router, host);
  registerReflection(router, API_SERVICES);
}
