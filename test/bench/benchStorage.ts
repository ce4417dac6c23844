// A large scenario seeded once into a persistent Azurite folder (.cache/bench-azurite/<key>) and reused:
// Azurite uploads slow down as a container fills, so re-seeding every run would take many minutes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { startAzurite, type AzuriteServer } from "../servers/azurite";
import { buildScenario, type Scenario, type ScenarioOptions } from "../fixtures/scenario";
import { scenarioBlobs } from "../fixtures/generate";
import { uploadBlobs } from "../fixtures/upload";
import { REPO_ROOT } from "../host/codeServer";

export interface BenchStorage {
  azurite: AzuriteServer;
  scenario: Scenario;
  blobCount: number;
}

export async function benchStorage(options: ScenarioOptions): Promise<BenchStorage> {
  const key = createHash("sha256").update(JSON.stringify(options)).digest("hex").slice(0, 12);
  const location = join(REPO_ROOT, ".cache", "bench-azurite", key);
  const marker = join(location, "seeded.json");
  mkdirSync(location, { recursive: true });
  const scenario = buildScenario(options);
  const azurite = await startAzurite({ location });
  if (existsSync(marker)) {
    return { azurite, scenario, blobCount: (JSON.parse(readFileSync(marker, "utf8")) as { blobCount: number }).blobCount };
  }
  const started = Date.now();
  console.log(`[bench] seeding ${location} once (later runs reuse it)…`);
  let last = Date.now();
  let count = 0;
  const counted = (function* () {
    for (const blob of scenarioBlobs(scenario)) {
      count += 1;
      if (Date.now() - last > 30_000) {
        last = Date.now();
        console.log(`[bench]   ${count} blobs uploaded, ${Math.round((Date.now() - started) / 1000)} s`);
      }
      yield blob;
    }
  })();
  const blobCount = await uploadBlobs(azurite.connectionString, counted, 32);
  writeFileSync(marker, JSON.stringify({ blobCount, options, seconds: (Date.now() - started) / 1000 }));
  console.log(`[bench] seeded ${blobCount} blobs in ${Math.round((Date.now() - started) / 1000)} s`);
  return { azurite, scenario, blobCount };
}
