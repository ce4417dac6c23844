import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import {
  AccountSASPermissions, AccountSASResourceTypes, AccountSASServices, ContainerSASPermissions, StorageSharedKeyCredential,
  generateAccountSASQueryParameters, generateBlobSASQueryParameters,
} from "@azure/storage-blob";
import { activeApi, blobEndpoint, children, labels, scenario, walk } from "./helpers";
import { AZURITE_ACCOUNT, AZURITE_KEY, emulatorConnectionString } from "../../src/core/emulator";

const credential = new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY);
const expiresOn = new Date(Date.now() + 3_600_000);

function accountSas(permissions: string): string {
  const sas = generateAccountSASQueryParameters({ permissions: AccountSASPermissions.parse(permissions), resourceTypes: AccountSASResourceTypes.parse("sco").toString(),
    services: AccountSASServices.parse("b").toString(), expiresOn }, credential).toString();
  return `${blobEndpoint}?${sas}`;
}

function containerSas(container: string, permissions: string): string {
  const sas = generateBlobSASQueryParameters({ containerName: container, permissions: ContainerSASPermissions.parse(permissions), expiresOn }, credential).toString();
  return `${blobEndpoint}/${container}?${sas}`;
}

async function attach(connection: string, label: string): Promise<string> {
  const result = await vscode.commands.executeCommand<{ id: string }>("modelData.attachStorage", connection, label);
  assert.ok(result?.id, "attach returned the new source");
  return result.id;
}

describe("attached storage", () => {
  const attachedIds: string[] = [];

  it("tolerates what a view's title button passes (asks instead of failing), and refuses garbage with a reason", async () => {
    const api = await activeApi();
    const before = labels(api, await children(api));
    const asked = vscode.commands.executeCommand("modelData.attachStorage", { viewId: "modelData.explorer" });
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand("workbench.action.closeQuickOpen");
    assert.equal(await asked, undefined, "the prompt was shown and dismissed, nothing thrown");
    assert.equal(await vscode.commands.executeCommand("modelData.attachStorage", "AccountName=foo;AccountKey=bar", "garbage"), undefined);
    assert.equal(await vscode.commands.executeCommand("modelData.attachStorage", "https://example.com/container?sv=2024-11-04&sr=c&sp=rl&sig=x", "garbage2"), undefined);
    assert.deepEqual(labels(api, await children(api)), before, "nothing was attached");
  });
  afterEach(async () => {
    while (attachedIds.length > 0) await vscode.commands.executeCommand("modelData.detachStorage", attachedIds.pop());
  });

  it("reads workspaces from blob paths through a connection string, for both layouts", async () => {
    attachedIds.push(await attach(emulatorConnectionString(blobEndpoint), "conn"));
    const api = await activeApi();
    const workspaces = await children(api, await walk(api, ["conn"]));
    // Legacy paths carry sub/rg/ws lowercased; a datastore container is a workspace of its own.
    assert.deepEqual(labels(api, workspaces), [scenario.workspace.toLowerCase(), scenario.datastoreContainer]);
    assert.equal(api.tree.getTreeItem(workspaces[0]).description, scenario.resourceGroup.toLowerCase());
    const legacyServices = labels(api, await children(api, workspaces[0]));
    assert.deepEqual(legacyServices, scenario.legacyServices.map((s) => s.name).sort());
    const current = await children(api, workspaces[1]);
    assert.deepEqual(labels(api, current), ["credit-endpoint/blue", "credit-endpoint/green", "retired-endpoint/default"]);
    // Without ARM nothing is known about deployment state, so nothing is called deleted.
    assert.ok(current.every((s) => api.tree.getTreeItem(s).description === "deployment"));
    const dates = await children(api, await walk(api, ["conn", scenario.workspace.toLowerCase(), "fraud-aks", "fraud_gbm:7", "inputs"]));
    assert.equal(dates.length, scenario.dates.length);
  });

  it("works with an account SAS URL and keeps the SAS out of settings and the tree", async () => {
    const sasUrl = accountSas("rl");
    attachedIds.push(await attach(sasUrl, "account-sas"));
    const api = await activeApi();
    const source = await walk(api, ["account-sas"]);
    assert.match(String(api.tree.getTreeItem(source).description), /^account SAS · expires \d{4}-\d\d-\d\d$/);
    assert.deepEqual(labels(api, await children(api, source)), [scenario.workspace.toLowerCase(), scenario.datastoreContainer]);
    const settings = JSON.stringify(vscode.workspace.getConfiguration("modelData"));
    assert.equal(settings.includes(new URL(sasUrl).searchParams.get("sig") ?? "missing"), false);
  });

  it("works with a container SAS URL limited to the datastore container", async () => {
    attachedIds.push(await attach(containerSas(scenario.datastoreContainer, "rl"), "container-sas"));
    const api = await activeApi();
    const workspaces = await children(api, await walk(api, ["container-sas"]));
    assert.deepEqual(labels(api, workspaces), [scenario.datastoreContainer]);
    const hours = await children(api, (await children(api, await walk(api, ["container-sas", scenario.datastoreContainer, "credit-endpoint/blue", "model (not known to ARM)", "model_inputs"])))[0]);
    assert.deepEqual(labels(api, hours), ["19:00", "13:00", "08:00"]);
  });

  it("shows the 403 node with the missing permission when the SAS cannot list", async () => {
    attachedIds.push(await attach(containerSas("modeldata", "r"), "no-list"));
    const api = await activeApi();
    // Reading workspaces from the paths is the first listing, so the source itself shows the error.
    const nodes = await children(api, await walk(api, ["no-list"]));
    const texts = labels(api, nodes);
    // The SAS's own permissions say why (a role message belongs to Entra sign-ins).
    assert.match(texts[0], /^This SAS cannot list blobs \(its permissions are sp=r\); browsing needs read and list \(sp=rl\)/);
    assert.equal(api.tree.getTreeItem(nodes[0]).command?.command, "modelData.refresh");
    assert.ok(texts.includes("Enter a new SAS…"), texts.join(" | "));
  });

  it("detach removes the source and its secret", async () => {
    const id = await attach(emulatorConnectionString(blobEndpoint), "to-detach");
    const api = await activeApi();
    assert.ok(labels(api, await children(api)).includes("to-detach"));
    assert.equal(await vscode.commands.executeCommand("modelData.detachStorage", id), true);
    assert.equal(labels(api, await children(api)).includes("to-detach"), false);
  });
});
