// What the e2e runner started, shared with the suites it runs in the same process.
import type { Browser } from "playwright-core";
import type { Scenario } from "../fixtures/scenario";
import type { ArmServer } from "../servers/arm/server";

export interface E2eContext {
  browser: Browser;
  codeServerUrl: string;
  workspaceFolder: string;
  scenario: Scenario;
  /** Azurite, for suites that add their own blobs. */
  connectionString: string;
  /** The local ARM server, for suites that add their own resources. */
  arm: ArmServer;
}

let current: E2eContext | undefined;

export function setE2eContext(context: E2eContext): void {
  current = context;
}

export function e2eContext(): E2eContext {
  if (!current) throw new Error("e2e suites run through test/host/run-e2e");
  return current;
}
