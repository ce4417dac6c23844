// npm run bench:tree — the tree's own expansion (src/tree/children.ts over src/azure/blob.ts) against the raw
// SDK listing on the same prefix, in the same run, on ≥25,000 blobs in Azurite. Medians of interleaved runs.
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { benchStorage } from "./benchStorage";
import { TREE_BENCH_SCENARIO } from "./treeScenario";
import { createBlobGatewayFromConnectionString } from "../../src/azure/blob";
import { childrenOf } from "../../src/tree/children";
import type { ModelDataNode, WorkspaceScope } from "../../src/tree/nodes";
import { legacyWorkspacePrefix, LEGACY_CONTAINER } from "../../src/core/blobLayout";
import { emulatorConnectionString } from "../../src/core/emulator";

const RUNS = Number(process.env.BENCH_RUNS ?? 11);

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function rawHierarchy(container: ContainerClient, prefix: string, pageSize: number): Promise<void> {
  const page = (await container.listBlobsByHierarchy("/", { prefix }).byPage({ maxPageSize: pageSize }).next()).value;
  if (!page) throw new Error(`nothing under ${prefix}`);
}

async function rawFlatAll(container: ContainerClient, prefix: string): Promise<number> {
  let count = 0;
  for await (const page of container.listBlobsFlat({ prefix }).byPage({ maxPageSize: 5000 })) count += page.segment.blobItems.length;
  return count;
}

/** years → months → days, each round in parallel: the alternative to one flat listing for dates. */
async function rawWalkDays(container: ContainerClient, prefix: string): Promise<number> {
  const level = async (prefixes: string[]) => (await Promise.all(prefixes.map(async (p) => {
    const out: string[] = [];
    for await (const page of container.listBlobsByHierarchy("/", { prefix: p }).byPage({ maxPageSize: 5000 })) out.push(...(page.segment.blobPrefixes ?? []).map((b) => b.name));
    return out;
  }))).flat();
  return (await level(await level(await level([prefix])))).length;
}

async function main(): Promise<void> {
  const storage = await benchStorage(TREE_BENCH_SCENARIO);
  const { scenario } = storage;
  try {
    const connection = emulatorConnectionString(storage.azurite.blobEndpoint);
    const service = BlobServiceClient.fromConnectionString(connection);
    const legacy = service.getContainerClient(LEGACY_CONTAINER);
    const current = service.getContainerClient(scenario.datastoreContainer);
    const blobs = createBlobGatewayFromConnectionString(connection);
    const pageSize = 500;
    const ctx = () => ({ pageSize, signal: new AbortController().signal });
    const wsPrefix = legacyWorkspacePrefix(scenario.subscriptionId, scenario.resourceGroup, scenario.workspace);
    const auth = { kind: "emulator" as const, connectionString: connection };
    const legacyWhere = { blobs, container: LEGACY_CONTAINER, auth };
    const currentWhere = { blobs, container: scenario.datastoreContainer, auth };
    const scope: WorkspaceScope = { info: { id: "ws", name: scenario.workspace, subscriptionId: scenario.subscriptionId, resourceGroup: scenario.resourceGroup, location: "" },
      legacy: { blobs, container: LEGACY_CONTAINER, prefix: wsPrefix }, current: { blobs, container: scenario.datastoreContainer } };
    const servicePrefix = `${wsPrefix}churn-aks-v1/`;
    const legacyRef = { layout: "legacy" as const, name: "churn-aks-v1", prefix: servicePrefix, apiKnows: false };
    const legacyService: ModelDataNode = { kind: "service", id: "s", scope, service: legacyRef, where: legacyWhere };
    const modelPrefix = `${servicePrefix}churn_model/4/`;
    const legacyModel: ModelDataNode = { kind: "model", id: "m", service: legacyRef, label: "churn_model:4", prefix: modelPrefix, where: legacyWhere };
    const identifierPrefix = `${modelPrefix}inputs/`;
    const identifier: ModelDataNode = { kind: "identifier", id: "i", service: legacyRef, name: "inputs", prefix: identifierPrefix, where: legacyWhere };
    const currentService = { layout: "current" as const, endpointName: "credit-endpoint", deploymentName: "blue", prefix: "modelDataCollector/credit-endpoint/blue/", armKnows: false };
    const currentModel: ModelDataNode = { kind: "model", id: "cm", service: currentService, label: "credit_model:2", prefix: currentService.prefix, where: currentWhere };
    const collection: ModelDataNode = { kind: "identifier", id: "c", service: currentService, name: "model_inputs", prefix: `${currentService.prefix}model_inputs/`, where: currentWhere };

    const cases: Array<{ level: string; ours: () => Promise<unknown>; raw: () => Promise<unknown>; rawLabel: string }> = [
      { level: "services", ours: () => childrenOf({ kind: "workspace", id: "w", scope }, ctx()), raw: () => rawHierarchy(legacy, wsPrefix, pageSize), rawLabel: "listBlobsByHierarchy" },
      { level: "models", ours: () => childrenOf(legacyService, ctx()), raw: () => rawHierarchy(legacy, servicePrefix, pageSize), rawLabel: "listBlobsByHierarchy" },
      { level: "identifiers", ours: () => childrenOf(legacyModel, ctx()), raw: () => rawHierarchy(legacy, modelPrefix, pageSize), rawLabel: "listBlobsByHierarchy" },
      { level: "collections", ours: () => childrenOf(currentModel, ctx()), raw: () => rawHierarchy(current, currentService.prefix, pageSize), rawLabel: "listBlobsByHierarchy" },
      { level: "dates", ours: () => childrenOf(identifier, ctx()), raw: () => rawFlatAll(legacy, identifierPrefix), rawLabel: "flat listing (all pages)" },
      { level: "dates (current)", ours: () => childrenOf(collection, ctx()), raw: () => rawFlatAll(current, collection.prefix), rawLabel: "flat listing (all pages)" },
    ];
    console.log(`[bench] ${storage.blobCount} blobs in Azurite; ${RUNS} interleaved runs per level, medians in ms\n`);
    const ratios: Record<string, number> = {};
    for (const c of cases) {
      await c.ours();
      await c.raw();
      const ours: number[] = [];
      const raw: number[] = [];
      // ABBA order so neither side always runs on the heels of the other.
      for (let i = 0; i < RUNS; i++) {
        if (i % 2 === 0) {
          raw.push(await timed(c.raw));
          ours.push(await timed(c.ours));
        } else {
          ours.push(await timed(c.ours));
          raw.push(await timed(c.raw));
        }
      }
      ratios[c.level] = median(ours) / median(raw);
      console.log(`${c.level.padEnd(16)} extension ${median(ours).toFixed(1).padStart(8)}   raw ${c.rawLabel} ${median(raw).toFixed(1).padStart(8)}   ratio ${ratios[c.level].toFixed(2)}`);
    }
    // Legacy models carry name then version: two rounds (models, then their versions in parallel).
    const twoLevels = async () => {
      const models = (await legacy.listBlobsByHierarchy("/", { prefix: servicePrefix }).byPage({ maxPageSize: pageSize }).next()).value;
      await Promise.all((models?.segment.blobPrefixes ?? []).map((p: { name: string }) => rawHierarchy(legacy, p.name, pageSize)));
    };
    const twoRaw: number[] = [];
    const twoOurs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      twoRaw.push(await timed(twoLevels));
      twoOurs.push(await timed(() => childrenOf(legacyService, ctx())));
    }
    console.log(`\nmodels against the raw two-level walk (models, then versions in parallel): extension ${median(twoOurs).toFixed(1)} ms, raw ${median(twoRaw).toFixed(1)} ms, ratio ${(median(twoOurs) / median(twoRaw)).toFixed(2)}`);
    // The services level lists the legacy workspace prefix and, in parallel, the current layout's endpoints then deployments.
    const walk: number[] = [];
    const flat: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      flat.push(await timed(() => rawFlatAll(legacy, identifierPrefix)));
      walk.push(await timed(() => rawWalkDays(legacy, identifierPrefix)));
    }
    console.log(`all dates of one identifier: one flat listing ${median(flat).toFixed(1)} ms vs years→months→days walk ${median(walk).toFixed(1)} ms (walk ÷ flat ${(median(walk) / median(flat)).toFixed(2)})`);
    const { dates, "dates (current)": _current, ...levels } = ratios;
    void _current;
    console.log(`RESULT ${JSON.stringify({ levels: Object.fromEntries(Object.entries(levels).map(([k, v]) => [k, round(v)])), dates: round(dates) })}`);
  } finally {
    await storage.azurite.stop();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
