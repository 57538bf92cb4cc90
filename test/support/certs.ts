/**
 * Certificates for TLS tests, made by openssl in a temp dir: a CA and another CA, a server
 * certificate for localhost/127.0.0.1, and client certificates — good (CN ci-client, SAN
 * DNS:ci-client and URI:spiffe://gastrolog/ci), signed by the other CA, and expired (valid for
 * one day in 2020, through `openssl ca` with explicit dates). EC P-256 keys keep it fast.
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface CertSet {
  dir: string;
  ca: string;
  otherCa: string;
  server: { cert: string; key: string };
  good: { cert: string; key: string };
  wrongCa: { cert: string; key: string };
  expired: { cert: string; key: string };
}

function openssl(dir: string, args: string[]): void {
  const p = Bun.spawnSync(["openssl", ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`openssl ${args.join(" ")}: ${p.stderr.toString()}`);
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

function ca(dir: string, name: string): void {
  openssl(dir, ["req", "-x509", ...EC, "-keyout", `${name}.key`, "-out", `${name}.crt`, "-subj", `/CN=${name}`, "-days", "30"]);
}

/** A key and certificate `name` signed by CA `issuer`, with `ext` lines (x509v3 extensions). */
export function leaf(dir: string, name: string, issuer: string, cn: string, ext: string[]): { cert: string; key: string } {
  openssl(dir, ["req", ...EC, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`]);
  writeFileSync(join(dir, `${name}.ext`), ext.join("\n") + "\n");
  openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", `${issuer}.crt`, "-CAkey", `${issuer}.key`, "-CAcreateserial", "-out", `${name}.crt`, "-days", "30", "-extfile", `${name}.ext`]);
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
}

function expiredLeaf(dir: string): { cert: string; key: string } {
  writeFileSync(join(dir, "index.txt"), "");
  writeFileSync(join(dir, "serial"), "1000\n");
  writeFileSync(
    join(dir, "ca.cnf"),
    ["[ca]", "default_ca = x", "[x]", "database = index.txt", "serial = serial", "new_certs_dir = .", "certificate = ca.crt", "private_key = ca.key", "default_md = sha256", "policy = p", "unique_subject = no", "[p]", "commonName = supplied", ""].join("\n"),
  );
  openssl(dir, ["req", ...EC, "-keyout", "expired.key", "-out", "expired.csr", "-subj", "/CN=ci-client"]);
  openssl(dir, ["ca", "-batch", "-config", "ca.cnf", "-in", "expired.csr", "-out", "expired.crt", "-startdate", "20200101000000Z", "-enddate", "20200102000000Z"]);
  return { cert: join(dir, "expired.crt"), key: join(dir, "expired.key") };
}

/** Makes the whole set in `dir` (an existing, empty temp dir). */
export function makeCerts(dir: string): CertSet {
  ca(dir, "ca");
  ca(dir, "otherca");
  return {
    dir,
    ca: join(dir, "ca.crt"),
    otherCa: join(dir, "otherca.crt"),
    server: leaf(dir, "server", "ca", "localhost", ["subjectAltName=DNS:localhost,IP:127.0.0.1"]),
    good: leaf(dir, "client", "ca", "ci-client", ["subjectAltName=DNS:ci-client,URI:spiffe://gastrolog/ci", "extendedKeyUsage=clientAuth"]),
    wrongCa: leaf(dir, "wrong", "otherca", "ci-client", ["extendedKeyUsage=clientAuth"]),
    expired: expiredLeaf(dir),
  };
}
