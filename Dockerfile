# GastroLog in a distroless container: one static-enough binary on gcr.io/distroless/base-debian12
# (glibc, CA certificates, tzdata, no shell), running as the distroless "nonroot" user 65532 with
# its data in the /data volume. docs/deployment.md ("Docker") has the run commands.
#
#   docker build -t gastrolog .                      # compiles from source in the Bun image
#   docker build --build-arg PREBUILT=dist/release/gastrolog-0.1.0-linux-x64 -t gastrolog .
#                                                     # uses a binary from scripts/release
# BUILDER and BASE are build arguments so an offline build can name local images instead.
ARG BUILDER=oven/bun:1.4.4
ARG BASE=gcr.io/distroless/base-debian12:nonroot

FROM ${BUILDER} AS build
ARG PREBUILT=
ARG GASTROLOG_COMMIT=unknown
WORKDIR /src
COPY . .
RUN if [ -n "$PREBUILT" ]; then cp "$PREBUILT" /gastrolog; \
    else bun install --frozen-lockfile && GASTROLOG_COMMIT="$GASTROLOG_COMMIT" GASTROLOG_OUT=/gastrolog bash scripts/build; fi \
 && chmod 0755 /gastrolog && mkdir -p /data && chown 65532:65532 /data

FROM ${BASE}
COPY --from=build /gastrolog /gastrolog
COPY --from=build --chown=65532:65532 /data /data
ENV GASTROLOG_DATA=/data
USER 65532:65532
VOLUME ["/data"]
# API (Connect/gRPC/HTTP, probes); syslog; RELP; GELF; HTTP/Loki push.
EXPOSE 4564/tcp 514/udp 514/tcp 2514/tcp 12201/udp 12201/tcp 3100/tcp
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/gastrolog", "health", "--addr", "http://127.0.0.1:4564"]
ENTRYPOINT ["/gastrolog"]
CMD ["serve", "--data", "/data", "--listen", ":4564"]
