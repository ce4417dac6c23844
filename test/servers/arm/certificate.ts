// The local ARM server's self-signed certificate for 127.0.0.1/localhost, kept in .cache/ and reused, so
// every process that must trust it (via NODE_EXTRA_CA_CERTS) can be pointed at one file before it starts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface ServerCertificate {
  key: string;
  cert: string;
  certPath: string;
}

export const DEFAULT_CERT_DIR = join(__dirname, "..", "..", "..", "..", ".cache", "arm-cert");

export async function ensureCertificate(dir = DEFAULT_CERT_DIR): Promise<ServerCertificate> {
  const keyPath = join(dir, "key.pem");
  const certPath = join(dir, "cert.pem");
  if (existsSync(keyPath) && existsSync(certPath)) {
    const cert = readFileSync(certPath, "utf8");
    const validTo = Date.parse(new X509Certificate(cert).validTo);
    if (validTo - Date.now() > 7 * 86_400_000) return { key: readFileSync(keyPath, "utf8"), cert, certPath };
  }
  const notAfter = new Date(Date.now() + 365 * 86_400_000);
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048, algorithm: "sha256", notAfterDate: notAfter,
    extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }] }],
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  writeFileSync(certPath, pems.cert);
  return { key: pems.private, cert: pems.cert, certPath };
}
