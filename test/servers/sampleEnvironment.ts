// Azurite seeded with a generated scenario plus the local ARM server seeded from the same scenario.
import { startAzurite, type AzuriteServer } from "./azurite";
import { startArmServer, type ArmServer } from "./arm/server";
import { buildScenario, DEFAULT_SCENARIO, type Scenario, type ScenarioOptions } from "../fixtures/scenario";
import { scenarioBlobs } from "../fixtures/generate";
import { uploadBlobs } from "../fixtures/upload";
import { armSeed } from "../fixtures/armSeed";
import { freePort } from "./ports";

export interface SampleEnvironment {
  scenario: Scenario;
  azurite: AzuriteServer;
  arm: ArmServer;
  blobCount: number;
  /** Settings that point the extension's Local emulator source at these servers. */
  settings: Record<string, unknown>;
  /** Environment for the process that hosts the extension (trusts the ARM server's certificate). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startSampleEnvironment(options: Partial<ScenarioOptions> = {}): Promise<SampleEnvironment> {
  const scenario = buildScenario({ ...DEFAULT_SCENARIO, ...options });
  const azurite = await startAzurite();
  try {
    const blobCount = await uploadBlobs(azurite.connectionString, scenarioBlobs(scenario));
    // The workspace's discoveryUrl names the server itself, so its port is chosen first.
    const port = await freePort();
    const arm = await startArmServer({ ...armSeed(scenario, `https://127.0.0.1:${port}`), pollsToFinish: 2, port });
    return {
      scenario, azurite, arm, blobCount,
      settings: {
        "modelData.localEmulator.enabled": true,
        "modelData.localEmulator.blobEndpoint": azurite.blobEndpoint,
        "modelData.localEmulator.armEndpoint": arm.url,
      },
      env: {
        NODE_EXTRA_CA_CERTS: arm.caCertPath,
        MODELDATA_TEST_ARM_URL: arm.url,
        MODELDATA_TEST_BLOB_ENDPOINT: azurite.blobEndpoint,
        MODELDATA_TEST_SCENARIO: JSON.stringify(scenario.options),
      },
      stop: async () => {
        await Promise.all([arm.stop(), azurite.stop()]);
      },
    };
  } catch (error) {
    await azurite.stop();
    throw error;
  }
}
