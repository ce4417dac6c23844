// api-versions each provider accepts; anything else is refused as ARM refuses it.
import { ArmError } from "./errors";

export const ML_API_VERSIONS = ["2022-10-01", "2023-04-01", "2023-10-01", "2024-04-01", "2024-10-01", "2025-06-01", "2025-12-01"];
export const STORAGE_API_VERSIONS = ["2022-09-01", "2023-01-01", "2023-05-01", "2024-01-01"];
export const SUBSCRIPTION_API_VERSIONS = ["2016-06-01", "2020-01-01", "2021-01-01", "2022-12-01"];
/** The first ML api-version whose schema has properties.dataCollector. */
export const DATA_COLLECTOR_API_VERSION = "2024-04-01";

export function checkApiVersion(apiVersion: string | null, supported: readonly string[], resourceType: string): string {
  if (!apiVersion) {
    throw new ArmError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
  }
  if (!supported.includes(apiVersion)) {
    throw new ArmError(400, "InvalidApiVersionParameter",
      `The api-version '${apiVersion}' is invalid. The supported versions for resource type '${resourceType}' are '${supported.join(",")}'.`);
  }
  return apiVersion;
}
