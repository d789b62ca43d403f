# bosun and bosun-webhook in one image. Not built in this repository's CI (no Docker engine
# here); build with: docker build -t bosun:0.1.0 .
# The runtime is distroless/cc (glibc, CA certificates, no shell) running as nonroot 65532.

# The toolchain CI uses (the code uses let-chains, stable since Rust 1.88).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p compiler -p webhook --bin bosun --bin bosun-webhook

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/bosun /usr/local/bin/bosun
COPY --from=build /src/target/release/bosun-webhook /usr/local/bin/bosun-webhook
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/bosun-webhook"]
