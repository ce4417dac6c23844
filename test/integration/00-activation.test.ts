import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { join } from "node:path";

const EXTENSION_ID = "azureml-model-data.azureml-model-data";

describe("activation", () => {
  it("runs in the real Node extension host of VS Code 1.139", () => {
    assert.equal(vscode.env.remoteName !== undefined || vscode.env.appHost === "desktop", true);
    assert.ok(vscode.version.startsWith("1."), vscode.version);
  });

  it("is lazy: not active until the view or a command needs it", () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, "extension is installed in the host");
    assert.equal(extension.isActive, false);
  });

  it("activates on a command without loading the Azure SDK bundle", async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await vscode.commands.executeCommand("modelData.refresh");
    assert.equal(extension.isActive, true);
    const azureBundle = join(extension.extensionPath, "dist", "azure.js");
    assert.equal(Object.keys(require.cache).includes(azureBundle), false, "dist/azure.js must not be loaded at activation");
  });

  it("contributes its commands under the Azure ML Data category", async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ["modelData.refresh", "modelData.useLocalEmulator", "modelData.showLog"]) assert.ok(all.includes(id), id);
  });
});
