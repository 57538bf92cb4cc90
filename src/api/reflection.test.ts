/** Reflection as the server registers it: services listed, files by name and by symbol. */

import { expect, test } from "bun:test";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { ServerReflection } from "./gen/grpc/reflection/v1/reflection_pb.ts";
import { ServerReflection as ServerReflectionAlpha } from "./gen/grpc/reflection/v1alpha/reflection_pb.ts";
import { registerServicesWithReflection } from "./reflection.ts";
import { routerOptions } from "./router-options.ts";
import { memoryHost } from "./test-support.ts";

async function* requests<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

test("v1 and v1alpha answer list, file and symbol requests", async () => {
  const host = memoryHost(["default"]);
  const transport = createRouterTransport((router) => registerServicesWithReflection(router, host), { router: routerOptions() });
  for (const service of [ServerReflection, ServerReflectionAlpha]) {
    const client = createClient(service, transport);
    const answers: { case: string | undefined; names: string[]; error?: { errorCode: number; errorMessage: string } }[] = [];
    for await (const r of client.serverReflectionInfo(
      requests([
        { messageRequest: { case: "listServices" as const, value: "" } },
        { messageRequest: { case: "fileContainingSymbol" as const, value: "gastrolog.v1.QueryService.Search" } },
        { messageRequest: { case: "fileByFilename" as const, value: "gastrolog/v1/common.proto" } },
        { messageRequest: { case: "fileContainingSymbol" as const, value: "no.Such" } },
      ]),
    )) {
      const m = r.messageResponse;
      if (m.case === "listServicesResponse") answers.push({ case: m.case, names: m.value.service.map((s) => s.name) });
      else if (m.case === "fileDescriptorResponse") answers.push({ case: m.case, names: m.value.fileDescriptorProto.map((b: Uint8Array) => fromBinary(FileDescriptorProtoSchema, b).name) });
      else if (m.case === "errorResponse") answers.push({ case: m.case, names: [], error: { errorCode: m.value.errorCode, errorMessage: m.value.errorMessage } });
      else answers.push({ case: m.case, names: [] });
    }
    expect(answers).toEqual([
      {
        case: "listServicesResponse",
        names: [
          "gastrolog.v1.QueryService",
          "gastrolog.v1.StoreService",
          "gastrolog.v1.ConfigService",
          "gastrolog.v1.LifecycleService",
          "gastrolog.v1.IngestService",
          "gastrolog.v1.TokenService",
          "grpc.reflection.v1.ServerReflection",
          "grpc.reflection.v1alpha.ServerReflection",
        ],
      },
      { case: "fileDescriptorResponse", names: ["gastrolog/v1/query.proto", "gastrolog/v1/common.proto"] },
      { case: "fileDescriptorResponse", names: ["gastrolog/v1/common.proto"] },
      { case: "errorResponse", names: [], error: { errorCode: 5, errorMessage: "symbol 'no.Such' not found" } },
    ]);
  }
});
