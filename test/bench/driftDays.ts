// The drift bench's days, shared with bench:sql: legacy data.csv of about 30 MB a day (20 features, three of
// them drifting from day 7), seeded once into a persistent Azurite folder and reused by later runs.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteServer } from "../servers/azurite";
import { REPO_ROOT } from "../host/codeServer";
import { AML_SYSTEM_COLUMNS } from "../../src/core/table/legacyColumns";

const DAY_BYTES = 30 * 1024 * 1024;
/** 56 days: the first 14 for the main compare, all of them for the 28-day windows of the scaling runs. */
export const ALL_DAYS = Array.from({ length: 56 }, (_, i) => new Date(Date.UTC(2026, 10, 1 + i)).toISOString().slice(0, 10));
export const DAYS = ALL_DAYS.slice(0, 14);
export const CONTAINER = "modeldata";
export const blobName = (date: string) => `bench/rg/ws/svc/model/1/inputs/${date.replace(/-/g, "/")}/data.csv`;

/** One day: 20 features (16 numbers, 4 categories; three of them drift in the second week) and the system columns. */
export function dayCsv(day: number): Buffer {
  let state = 1 + day;
  const uniform = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const normal = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  const drifted = day >= 7;
  const lines = [[...Array.from({ length: 20 }, (_, i) => `feature_${i + 1}`), ...AML_SYSTEM_COLUMNS].join(",")];
  let bytes = lines[0].length;
  for (let r = 0; bytes < DAY_BYTES; r++) {
    const cells = Array.from({ length: 20 }, (_, i) => {
      if (i >= 16) return ["alpha", "beta", "gamma", "delta", ...(drifted && i === 19 ? ["omega"] : [])][Math.floor(uniform() * (drifted && i === 19 ? 5 : 4))];
      return (100 * i + (drifted && i === 2 ? 8 : 0) + (drifted && i === 5 ? 25 : 10) * normal()).toFixed(3);
    });
    const line = [...cells, `3f2b1c4d-${String(r % 10000).padStart(4, "0")}-4000-8000-000000000001`, "2026-11-20T15:54:16.691697", "1440", "sub/rg/ws", "svc", "model", "1", "00000000-0000-0000-0000-000000000000"].join(",");
    lines.push(line);
    bytes += line.length + 2;
  }
  return Buffer.from(lines.join("\r\n") + "\r\n");
}

/** Azurite over the bench folder with the first `days` days in it (written once, the first time). */
export async function driftDaysStorage(days: number): Promise<{ azurite: AzuriteServer; container: ContainerClient }> {
  const location = join(REPO_ROOT, ".cache", "bench-azurite", "drift-14x30mb");
  mkdirSync(location, { recursive: true });
  const azurite = await startAzurite({ location });
  const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(CONTAINER);
  if (!existsSync(join(location, "seeded"))) {
    console.log("[bench] writing 14 days × 30 MB of data.csv into Azurite once…");
    await container.createIfNotExists();
    for (const [i, date] of DAYS.entries()) await container.getBlockBlobClient(blobName(date)).uploadData(dayCsv(i), { blockSize: 8 << 20, concurrency: 4 });
    writeFileSync(join(location, "seeded"), "");
  }
  if (days > DAYS.length && !existsSync(join(location, "seeded-56"))) {
    console.log("[bench] writing 42 more days × 30 MB for the scaling runs, once…");
    for (const [i, date] of ALL_DAYS.entries()) if (i >= DAYS.length) await container.getBlockBlobClient(blobName(date)).uploadData(dayCsv(i), { blockSize: 8 << 20, concurrency: 4 });
    writeFileSync(join(location, "seeded-56"), "");
  }
  return { azurite, container };
}
