// A local Azure Resource Manager: Microsoft.Resources subscriptions and the Microsoft.MachineLearningServices
// resources the extension uses, over HTTPS (the SDK refuses bearer tokens on plain HTTP), state in memory.
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ensureCertificate } from "./certificate";
import { randomUUID } from "node:crypto";
import { ArmError, notFound, sendError, sendJson } from "./errors";
import { readOnlyValues, withoutReadOnly } from "../../../src/core/armReadOnly";
import { checkApiVersion, DATA_COLLECTOR_API_VERSION, ML_API_VERSIONS, STORAGE_API_VERSIONS, SUBSCRIPTION_API_VERSIONS } from "./apiVersions";
import { AZURITE_ACCOUNT, AZURITE_KEY } from "../../../src/core/emulator";
import { ResourceStore, type ArmResource, type SubscriptionRecord } from "./store";
import { FaultInjector, type FaultSpec } from "./faults";
import { OperationTracker } from "./operations";
import { ModelManagement, type LegacyServiceRecord } from "./modelManagement";
import { checkDatastore, checkSchedule, RESOURCE_NAME } from "./mlValidation";
import { ProvisioningByReads, listView } from "./provisioning";

const ML = "microsoft.machinelearningservices";

export interface ArmServerOptions {
  subscriptions: SubscriptionRecord[];
  resources: ArmResource[];
  /** Status polls before a long-running operation finishes. */
  pollsToFinish?: number;
  port?: number;
  /** Where the reusable certificate lives (default .cache/arm-cert). */
  certDir?: string;
  /** v1 AKS web services served by the model-management routes. */
  legacyServices?: LegacyServiceRecord[];
  /** Inference-server logs of online deployments (by deployment ARM id), served by getLogs. */
  deploymentLogs?: Record<string, string>;
}

export interface ArmServer {
  url: string;
  /** PEM file of the server's self-signed certificate, for NODE_EXTRA_CA_CERTS. */
  caCertPath: string;
  store: ResourceStore;
  modelManagement: ModelManagement;
  faults: FaultInjector;
  /** Every request received, for tests that count round trips or check what was sent. */
  requests: Array<{ method: string; path: string; body?: unknown }>;
  /** Sets an online deployment's inference-server log (what getLogs answers). */
  setDeploymentLog(deploymentId: string, text: string): void;
  stop(): Promise<void>;
}

export async function startArmServer(options: ArmServerOptions): Promise<ArmServer> {
  const certificate = await ensureCertificate(options.certDir);
  const storageAccount = AZURITE_ACCOUNT;
  const storageKey = AZURITE_KEY;
  const caCertPath = certificate.certPath;

  const store = new ResourceStore(options.subscriptions, options.resources);
  const faults = new FaultInjector();
  const operations = new OperationTracker(options.pollsToFinish ?? 2);
  const provisioning = new ProvisioningByReads(store);
  const modelManagement = new ModelManagement(options.legacyServices ?? [], options.pollsToFinish ?? 2);
  const requests: ArmServer["requests"] = [];
  const deploymentLogs = new Map(Object.entries(options.deploymentLogs ?? {}).map(([id, text]) => [id.toLowerCase(), text]));
  let origin = "";

  const server: Server = createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    void readBody(req).then((raw) => {
      const url = new URL(req.url ?? "/", origin);
      const method = req.method ?? "GET";
      try {
        const body = raw ? safeJson(raw) : undefined;
        if (url.pathname.startsWith("/_emulator/")) return admin(method, url, body, res);
        requests.push({ method, path: url.pathname + url.search, body });
        if (!/^Bearer .+/.test(req.headers.authorization ?? "")) {
          throw new ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
        }
        const fault = faults.take(method, url.pathname);
        if (fault?.action === "drop") return void req.socket.destroy();
        if (fault?.action === "respond") {
          const headers: Record<string, string> = fault.status === 429 ? { "retry-after": "1" } : {};
          return sendJson(res, fault.status ?? 500, { error: { code: fault.code ?? "InternalServerError", message: fault.message ?? "Injected failure.", ...(fault.details ? { details: fault.details } : {}) } }, headers);
        }
        route(method, url, body, res, fault);
      } catch (error) {
        if (error instanceof ArmError) sendError(res, error);
        else sendJson(res, 500, { error: { code: "InternalServerError", message: String(error) } });
      }
    });
  });

  function admin(method: string, url: URL, body: unknown, res: ServerResponse): void {
    if (url.pathname === "/_emulator/faults" && method === "POST") {
      faults.add(body as FaultSpec);
      return sendJson(res, 204, undefined);
    }
    if (url.pathname === "/_emulator/faults" && method === "DELETE") {
      faults.clear();
      return sendJson(res, 204, undefined);
    }
    if (url.pathname === "/_emulator/resource" && method === "GET") {
      const resource = store.get(url.searchParams.get("id") ?? "");
      return resource ? sendJson(res, 200, resource) : sendJson(res, 404, { error: { code: "ResourceNotFound", message: "not stored" } });
    }
    if (url.pathname === "/_emulator/resource" && method === "DELETE") {
      store.delete(url.searchParams.get("id") ?? "");
      return sendJson(res, 204, undefined);
    }
    if (url.pathname === "/_emulator/resource" && method === "PUT") {
      // Tests set up a resource as the service holds it (read-only properties included).
      store.put(body as ArmResource);
      return sendJson(res, 204, undefined);
    }
    if (url.pathname === "/_emulator/legacy-service" && method === "GET") {
      const q = url.searchParams;
      const record = modelManagement.get(q.get("subscriptionId") ?? "", q.get("resourceGroup") ?? "", q.get("workspace") ?? "", q.get("name") ?? "");
      return record ? sendJson(res, 200, record) : sendJson(res, 404, { error: { code: "NotFound", message: "no such legacy service" } });
    }
    if (url.pathname === "/_emulator/requests" && method === "GET") return sendJson(res, 200, { value: requests });
    if (url.pathname === "/_emulator/logs" && method === "PUT") {
      deploymentLogs.set((url.searchParams.get("id") ?? "").toLowerCase(), String((body as { content?: string } | undefined)?.content ?? ""));
      return sendJson(res, 204, undefined);
    }
    sendJson(res, 404, { error: { code: "NotFound", message: "unknown emulator route" } });
  }

  function route(method: string, url: URL, body: unknown, res: ServerResponse, fault: FaultSpec | undefined): void {
    const segments = url.pathname.split("/").filter(Boolean);
    const lower = segments.map((s) => s.toLowerCase());
    const apiVersion = url.searchParams.get("api-version");

    // The workspace region's service host (named by its discoveryUrl document) is served here too.
    if (lower[0] === "discovery") return sendJson(res, 200, { api: origin, modelmanagement: origin, studio: "https://ml.azure.com" });
    if (lower[0] === "modelmanagement" && lower[1] === "v1.0") return modelManagement.handle(method, segments.slice(2), body, origin, res, fault);
    if (lower[0] !== "subscriptions") throw new ArmError(404, "InvalidResourceType", `The resource type could not be found for path '${url.pathname}'.`);
    if (segments.length <= 2) {
      checkApiVersion(apiVersion, SUBSCRIPTION_API_VERSIONS, "subscriptions");
      const view = (s: SubscriptionRecord) => ({ id: `/subscriptions/${s.subscriptionId}`, subscriptionId: s.subscriptionId, tenantId: s.tenantId,
        displayName: s.displayName, state: "Enabled", subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "PayAsYouGo_2014-09-01", spendingLimit: "Off" }, authorizationSource: "RoleBased" });
      if (segments.length === 1) return sendJson(res, 200, { value: store.subscriptions.map(view) });
      const sub = store.subscriptions.find((s) => s.subscriptionId.toLowerCase() === lower[1]);
      if (!sub) throw new ArmError(404, "SubscriptionNotFound", `The subscription '${segments[1]}' could not be found.`);
      return sendJson(res, 200, view(sub));
    }
    const version = lower[5] === "microsoft.storage" ? apiVersion ?? "" : checkApiVersion(apiVersion, ML_API_VERSIONS, "Microsoft.MachineLearningServices");
    if (!store.subscriptions.some((s) => s.subscriptionId.toLowerCase() === lower[1])) {
      throw new ArmError(404, "SubscriptionNotFound", `The subscription '${segments[1]}' could not be found.`);
    }

    // /subscriptions/{s}/providers/Microsoft.MachineLearningServices/...
    if (lower[2] === "providers" && lower[3] === ML) {
      if (lower[4] === "workspaces" && segments.length === 5 && method === "GET") {
        return sendJson(res, 200, { value: store.ofType(segments[1], "Microsoft.MachineLearningServices/workspaces") });
      }
      if (lower[4] === "locations" && segments.length === 8 && method === "GET") return operation(lower[6], segments[7], version, res);
    }

    // Microsoft.Storage listKeys, for the account-key route: the emulator's accounts are Azurite's.
    if (lower[2] === "resourcegroups" && lower[5] === "microsoft.storage" && lower[6] === "storageaccounts" && lower[8] === "listkeys" && method === "POST") {
      checkApiVersion(apiVersion, STORAGE_API_VERSIONS, "Microsoft.Storage/storageAccounts");
      if (segments[7] !== storageAccount) throw notFound("Microsoft.Storage/storageAccounts", segments[7], segments[3]);
      return sendJson(res, 200, { keys: [{ keyName: "key1", value: storageKey, permissions: "FULL" }, { keyName: "key2", value: storageKey, permissions: "FULL" }] });
    }
    // /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/{type}/{name}...
    if (lower[2] !== "resourcegroups" || lower[4] !== "providers" || lower[5] !== ML || segments.length < 7) {
      throw new ArmError(404, "InvalidResourceType", `The resource type could not be found for path '${url.pathname}'.`);
    }
    if (method === "POST" && lower[lower.length - 1] === "getlogs" && lower[lower.length - 3] === "deployments") return getLogs(segments, body, res);
    const isCollection = (segments.length - 6) % 2 === 1;
    if (isCollection) {
      if (method !== "GET") throw new ArmError(405, "MethodNotAllowed", `The method '${method}' is not allowed on a collection.`);
      const parentId = segments.slice(0, -1).join("/");
      if (segments.length > 7 && !store.get(`/${parentId}`)) throw notFound(segments[segments.length - 3], segments[segments.length - 2], segments[3]);
      let items = store.children(url.pathname);
      if (lower[lower.length - 1] === "datastores" && url.searchParams.get("isDefault") === "true") {
        items = items.filter((d) => (d.properties as { isDefault?: boolean }).isDefault === true);
      }
      items = items.filter(listView(lower[lower.length - 1], lower[lower.length - 3], url.searchParams.get("listViewType")));
      return sendJson(res, 200, { value: items.map((r) => forApiVersion(r, version)) });
    }
    const existing = store.get(url.pathname);
    if (method === "GET") {
      if (!existing) throw notFound(segments[segments.length - 2], segments[segments.length - 1], segments[3]);
      const advanced = provisioning.read(existing);
      return sendJson(res, 200, forApiVersion(advanced, version), provisioning.retryAfter(existing.id));
    }
    if (method === "PUT" && lower[lower.length - 2] === "deployments") return putDeployment(segments, existing, body, version, res, fault);
    if (method === "PUT" && lower[lower.length - 2] === "versions" && lower[lower.length - 4] === "data") return putDataVersion(segments, existing, body, version, res);
    if (method === "PUT" && lower[lower.length - 2] === "datastores") return putDatastore(segments, existing, body, version, res, url.searchParams.get("skipValidation") === "true");
    if (method === "PUT" && lower[lower.length - 2] === "schedules") return putSchedule(segments, existing, body, version, res, fault);
    if (method === "DELETE" && lower[lower.length - 2] === "schedules") return deleteSchedule(segments, existing, version, res, fault);
    if (method === "DELETE" && lower[lower.length - 2] === "datastores") {
      if (existing && (existing.properties as { isDefault?: boolean }).isDefault) throw new ArmError(400, "UserError", "The workspace's default datastore cannot be deleted.");
      if (existing) store.delete(existing.id);
      return sendJson(res, existing ? 200 : 204, undefined);
    }
    throw new ArmError(405, "MethodNotAllowed", `The method '${method}' is not supported here by the local ARM server.`);
  }

  /**
   * OnlineDeployments_GetLogs: POST {containerType, tail} → {content}, the last `tail` lines of the named
   * container's console (InferenceServer, StorageInitializer; the enum is checked as the service checks it).
   */
  function getLogs(segments: string[], body: unknown, res: ServerResponse): void {
    const deploymentId = `/${segments.slice(0, -1).join("/")}`;
    if (!store.get(deploymentId)) throw notFound(segments[segments.length - 3], segments[segments.length - 2], segments[3]);
    const request = (body ?? {}) as { containerType?: unknown; tail?: unknown };
    if (request.containerType !== undefined && request.containerType !== "InferenceServer" && request.containerType !== "StorageInitializer") {
      throw new ArmError(400, "UserError", `'containerType' must be InferenceServer or StorageInitializer (it was ${JSON.stringify(request.containerType)}).`);
    }
    if (request.tail !== undefined && (!Number.isInteger(request.tail) || (request.tail as number) < 0)) {
      throw new ArmError(400, "UserError", `'tail' must be a non-negative integer (it was ${JSON.stringify(request.tail)}).`);
    }
    const text = request.containerType === "StorageInitializer" ? "" : deploymentLogs.get(deploymentId.toLowerCase()) ?? "";
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    const tail = typeof request.tail === "number" && request.tail > 0 ? lines.slice(-request.tail) : lines;
    sendJson(res, 200, { content: tail.join("\n") });
  }

  function putDeployment(segments: string[], existing: ArmResource | undefined, body: unknown, version: string, res: ServerResponse, fault: FaultSpec | undefined): void {
    const input = body as ArmResource & { location?: string; properties?: Record<string, unknown>; kind?: string } | undefined;
    if (!input || typeof input !== "object" || Array.isArray(input) || !input.properties || !input.location) {
      throw new ArmError(400, "UserError", "The request body must be a deployment with 'location' and 'properties'.");
    }
    // Identity ids are the service's: sent back unchanged they are ignored, changed they are refused. (The
    // resource's own id/name/type/systemData and provisioningState are ignored whatever they say.)
    const stored = new Map(existing ? readOnlyValues(existing).map((r) => [r.path, r.value]) : []);
    for (const sent of readOnlyValues(input)) {
      if (sent.keys[0] !== "identity") continue;
      if (JSON.stringify(stored.get(sent.path)) !== JSON.stringify(sent.value)) {
        throw new ArmError(400, "UserError", `The property '${sent.path}' is read-only and cannot be set to a different value.`);
      }
    }
    const id = `/${segments.join("/")}`;
    const now = new Date().toISOString();
    // A PUT replaces the whole resource: what the body leaves out is gone, unknown properties are kept as sent.
    const replacement = withoutReadOnly(input);
    const properties = { ...(replacement.properties as Record<string, unknown>) };
    // Older api-versions cannot express dataCollector; the service keeps what is stored.
    const existingProps = existing?.properties as Record<string, unknown> | undefined;
    if (version < DATA_COLLECTOR_API_VERSION && existingProps?.dataCollector !== undefined) properties.dataCollector = existingProps.dataCollector;
    const updated: ArmResource = {
      ...replacement, id, name: segments[segments.length - 1], type: "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
      location: input.location, tags: input.tags ?? {}, kind: input.kind ?? (properties.endpointComputeType as string),
      properties: { ...properties, provisioningState: "Updating" },
      systemData: { ...((existing?.systemData as object) ?? { createdAt: now, createdBy: "local-emulator", createdByType: "User" }), lastModifiedAt: now, lastModifiedBy: "local-emulator", lastModifiedByType: "User" },
    };
    if (replacement.identity) updated.identity = assignIdentity(replacement.identity as Record<string, unknown>, existing?.identity as Record<string, unknown> | undefined);
    store.put(updated);
    const failing = fails(fault) ? { status: "Failed" as const, code: fault?.code ?? "DeploymentFailed", message: fault?.message ?? "The deployment update failed." } : { status: "Succeeded" as const };
    const opId = operations.start(id, failing, (status) => {
      const current = store.get(id);
      if (!current) return;
      if (status === "Failed" && existing) store.put({ ...existing, properties: { ...(existing.properties as object), provisioningState: "Failed" } });
      else store.put({ ...current, properties: { ...(current.properties as object), provisioningState: status } });
    });
    const location = (updated.location as string).toLowerCase();
    const base = `${origin}/subscriptions/${segments[1]}/providers/Microsoft.MachineLearningServices/locations/${location}`;
    sendJson(res, existing ? 200 : 201, forApiVersion(updated, version), shapedHeaders(fault, opId, id, {
      "azure-asyncoperation": `${base}/mfeOperationsStatus/${opId}?api-version=${version}`,
      location: `${base}/mfeOperationResults/${opId}?api-version=${version}`,
      "retry-after": "1",
      "x-ms-async-operation-timeout": "PT1H",
    }));
  }

  /**
   * The operation headers of a long-running PUT, or the shape a fault asks for: none at all (the state then
   * lives only in provisioningState, advanced by GETs of the resource), or Azure-AsyncOperation alone.
   */
  function shapedHeaders(fault: FaultSpec | undefined, opId: string, id: string, headers: Record<string, string>): Record<string, string> {
    const retryAfter = String(fault?.retryAfter ?? 1);
    if (fault?.action === "shape" && fault.shape === "provisioningState") {
      provisioning.track(id, operations, opId, fault.retryAfter);
      return fault.retryAfter ? { "retry-after": retryAfter } : {};
    }
    if (fault?.action === "shape" && fault.shape === "asyncOnly") return { "azure-asyncoperation": headers["azure-asyncoperation"], "retry-after": retryAfter };
    return { ...headers, ...(fault?.retryAfter ? { "retry-after": retryAfter } : {}) };
  }

  /**
   * A data asset version, as the service takes it: synchronous, the container made with the first version,
   * the body checked (dataType one of the three, dataUri given), and a version's data immutable once made.
   */
  function putDataVersion(segments: string[], existing: ArmResource | undefined, body: unknown, version: string, res: ServerResponse): void {
    const properties = (body as { properties?: Record<string, unknown> } | undefined)?.properties;
    if (!properties || typeof properties !== "object") throw new ArmError(400, "UserError", "The request body must have 'properties'.");
    const dataType = properties.dataType;
    if (dataType !== "uri_file" && dataType !== "uri_folder" && dataType !== "mltable") {
      throw new ArmError(400, "UserError", `'properties.dataType' must be one of uri_file, uri_folder, mltable (it was ${JSON.stringify(dataType)}).`);
    }
    if (typeof properties.dataUri !== "string" || properties.dataUri.trim() === "") throw new ArmError(400, "UserError", "'properties.dataUri' is required.");
    if (!RESOURCE_NAME.test(segments[segments.length - 3])) {
      throw new ArmError(400, "UserError", `The data asset name '${segments[segments.length - 3]}' does not match ${RESOURCE_NAME.source}.`);
    }
    const old = existing?.properties as Record<string, unknown> | undefined;
    if (old && (old.dataUri !== properties.dataUri || old.dataType !== dataType)) {
      throw new ArmError(409, "UserError", `Data version ${segments[segments.length - 3]}:${segments[segments.length - 1]} already exists and its data cannot change. Register a new version.`);
    }
    const now = new Date().toISOString();
    const id = `/${segments.join("/")}`;
    const containerId = `/${segments.slice(0, -2).join("/")}`;
    const container = store.get(containerId);
    store.put({ id: containerId, name: segments[segments.length - 3], type: "Microsoft.MachineLearningServices/workspaces/data",
      properties: { dataType, isArchived: false, latestVersion: segments[segments.length - 1], nextVersion: String(Number(segments[segments.length - 1]) + 1 || ""), description: (container?.properties as { description?: string })?.description ?? null, tags: {} },
      systemData: container?.systemData ?? { createdAt: now, createdBy: "local-emulator", createdByType: "User" } });
    const stored: ArmResource = { id, name: segments[segments.length - 1], type: "Microsoft.MachineLearningServices/workspaces/data/versions",
      properties: { isAnonymous: false, isArchived: false, description: null, tags: {}, ...properties, dataType },
      systemData: { ...((existing?.systemData as object) ?? { createdAt: now, createdBy: "local-emulator", createdByType: "User" }), lastModifiedAt: now, lastModifiedBy: "local-emulator", lastModifiedByType: "User" } };
    store.put(stored);
    sendJson(res, existing ? 200 : 201, forApiVersion(stored, version));
  }

  /** A datastore, synchronous as the service makes it; credentials are never echoed back. */
  function putDatastore(segments: string[], existing: ArmResource | undefined, body: unknown, version: string, res: ServerResponse, skipValidation: boolean): void {
    const properties = checkDatastore(body);
    if (!RESOURCE_NAME.test(segments[segments.length - 1])) {
      throw new ArmError(400, "UserError", `The datastore name '${segments[segments.length - 1]}' does not match ${RESOURCE_NAME.source}.`);
    }
    // Without skipValidation the service checks it can reach the data with the datastore's credential; an
    // identity-based datastore gives it none to check with (the CLI sends skipValidation=true for these).
    if (!skipValidation && (properties.credentials as { credentialsType?: string }).credentialsType === "None") {
      throw new ArmError(400, "UserError", "Datastore validation failed: the datastore has no credentials to validate access with. Create identity-based datastores with skipValidation=true.");
    }
    const now = new Date().toISOString();
    const stored: ArmResource = { id: `/${segments.join("/")}`, name: segments[segments.length - 1], type: "Microsoft.MachineLearningServices/workspaces/datastores",
      properties: { isDefault: false, endpoint: "core.windows.net", protocol: "https", ...properties, credentials: { credentialsType: (properties.credentials as { credentialsType: string }).credentialsType } },
      systemData: { ...((existing?.systemData as object) ?? { createdAt: now, createdBy: "local-emulator", createdByType: "User" }), lastModifiedAt: now, lastModifiedBy: "local-emulator", lastModifiedByType: "User" } };
    store.put(stored);
    sendJson(res, existing ? 200 : 201, forApiVersion(stored, version));
  }

  function operationHeaders(segments: string[], opId: string, version: string): Record<string, string> {
    const workspace = store.get(`/${segments.slice(0, 8).join("/")}`);
    const location = String(workspace?.location ?? "eastus").toLowerCase();
    const base = `${origin}/subscriptions/${segments[1]}/providers/Microsoft.MachineLearningServices/locations/${location}`;
    return {
      "azure-asyncoperation": `${base}/mfeOperationsStatus/${opId}?api-version=${version}`,
      location: `${base}/mfeOperationResults/${opId}?api-version=${version}`,
      "retry-after": "1",
    };
  }

  /** A schedule (monitors are schedules): checked, stored as Creating/Updating, finished by its operation. */
  function putSchedule(segments: string[], existing: ArmResource | undefined, body: unknown, version: string, res: ServerResponse, fault: FaultSpec | undefined): void {
    const name = segments[segments.length - 1];
    if (!RESOURCE_NAME.test(name)) throw new ArmError(400, "UserError", `The schedule name '${name}' does not match ${RESOURCE_NAME.source}.`);
    if (!store.get(`/${segments.slice(0, 8).join("/")}`)) throw notFound("Microsoft.MachineLearningServices/workspaces", segments[7], segments[3]);
    const properties = checkSchedule(body, (ref) => store.get(ref));
    const id = `/${segments.join("/")}`;
    const now = new Date().toISOString();
    const stored: ArmResource = { id, name, type: "Microsoft.MachineLearningServices/workspaces/schedules",
      properties: { isEnabled: true, description: null, tags: {}, properties: {}, ...properties, provisioningState: existing ? "Updating" : "Creating" },
      systemData: { ...((existing?.systemData as object) ?? { createdAt: now, createdBy: "local-emulator", createdByType: "User" }), lastModifiedAt: now, lastModifiedBy: "local-emulator", lastModifiedByType: "User" } };
    store.put(stored);
    const outcome = fails(fault) ? { status: "Failed" as const, code: fault?.code ?? "UserError", message: fault?.message ?? "The monitor could not be created." } : { status: "Succeeded" as const };
    const byState = fault?.action === "shape" && fault.shape === "provisioningState";
    const opId = operations.start(id, outcome, (status) => {
      // Told only through provisioningState, a failure stays readable as Failed.
      if (status === "Failed" && byState) {
        const current = store.get(id);
        if (current) store.put({ ...current, properties: { ...(current.properties as object), provisioningState: "Failed" } });
        return;
      }
      // A failed create leaves nothing behind; a failed update leaves what was there.
      if (status === "Failed") {
        if (existing) store.put(existing);
        else store.delete(id);
        return;
      }
      const current = store.get(id);
      if (current) store.put({ ...current, properties: { ...(current.properties as object), provisioningState: "Succeeded" } });
    });
    sendJson(res, existing ? 200 : 201, forApiVersion(stored, version), shapedHeaders(fault, opId, id, operationHeaders(segments, opId, version)));
  }

  function deleteSchedule(segments: string[], existing: ArmResource | undefined, version: string, res: ServerResponse, fault: FaultSpec | undefined): void {
    if (!existing) return sendJson(res, 204, undefined);
    const id = `/${segments.join("/")}`;
    store.put({ ...existing, properties: { ...(existing.properties as object), provisioningState: "Deleting" } });
    const opId = operations.start(id, { status: "Succeeded" }, () => store.delete(id));
    const headers = operationHeaders(segments, opId, version);
    // The specification's DELETE: 202 with Location (and Retry-After) only is as valid as both headers.
    const locationOnly = fault?.action === "shape" && fault.shape === "locationOnly";
    sendJson(res, 202, undefined, locationOnly ? { location: headers.location, "retry-after": String(fault.retryAfter ?? 1) } : headers);
  }

  function operation(kind: string, id: string, version: string, res: ServerResponse): void {
    const polled = operations.poll(id);
    if (!polled) throw new ArmError(404, "OperationNotFound", `The operation '${id}' was not found.`);
    if (kind === "mfeoperationsstatus") return sendJson(res, 200, polled.body, polled.status === "InProgress" ? { "retry-after": "1" } : {});
    if (kind === "mfeoperationresults") {
      if (polled.status === "InProgress") return sendJson(res, 202, undefined, { location: `${origin}${res.req.url}`, "retry-after": "1" });
      if (polled.status === "Failed") return sendJson(res, 200, { error: (polled.body as { error?: object }).error });
      const resource = store.get(polled.resourceId);
      return resource ? sendJson(res, 200, forApiVersion(resource, version)) : sendJson(res, 204, undefined);
    }
    throw new ArmError(404, "InvalidResourceType", `Unknown operation route '${kind}'.`);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("ARM server has no address");
  origin = `https://127.0.0.1:${address.port}`;
  return {
    url: origin, caCertPath, store, modelManagement, faults, requests,
    setDeploymentLog: (deploymentId, text) => void deploymentLogs.set(deploymentId.toLowerCase(), text),
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A fault that makes the operation end Failed (a shaped answer fails when it names a code). */
function fails(fault: FaultSpec | undefined): boolean {
  return fault?.action === "failOperation" || (fault?.action === "shape" && fault.code !== undefined);
}

/** The service's part of a managed identity: the ids it assigned before, or new ones. */
function assignIdentity(sent: Record<string, unknown>, before: Record<string, unknown> | undefined): Record<string, unknown> {
  const type = String(sent.type ?? "None");
  const identity: Record<string, unknown> = { ...sent };
  if (/SystemAssigned/i.test(type)) {
    identity.principalId = before?.principalId ?? randomUUID();
    identity.tenantId = before?.tenantId ?? randomUUID();
  }
  const users = sent.userAssignedIdentities as Record<string, Record<string, unknown>> | undefined;
  if (users) {
    const previous = (before?.userAssignedIdentities ?? {}) as Record<string, Record<string, unknown>>;
    identity.userAssignedIdentities = Object.fromEntries(Object.keys(users).map((key) => [key, {
      principalId: previous[key]?.principalId ?? randomUUID(), clientId: previous[key]?.clientId ?? randomUUID(),
    }]));
  }
  return identity;
}

/** The provider answers in the schema of the api-version asked for: older ones have no dataCollector. */
function forApiVersion(resource: ArmResource, version: string): ArmResource {
  const properties = resource.properties as Record<string, unknown> | undefined;
  if (version >= DATA_COLLECTOR_API_VERSION || !properties || !("dataCollector" in properties)) return resource;
  const { dataCollector: _hidden, ...rest } = properties;
  void _hidden;
  return { ...resource, properties: rest };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(""));
  });
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
  }
}
