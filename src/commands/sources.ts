// Commands that add, remove or authenticate sources.
import * as vscode from "vscode";
import type { AttachedStorageStore, AttachedRecord } from "../sources/attachedStore";
import { StorageConnectionError } from "../core/storageConnection";
import type { ModelDataNode } from "../tree/nodes";
import { KEY_ACCOUNTS_STATE, SETTINGS_SECTION, type SourceRegistry } from "../sources/registry";
import { signIn as sessionSignIn } from "../sources/sessionCredential";
import { managementScope } from "../core/clouds";

/** Prompts (password-style input) for what is not given; returns the attached record. */
export async function attachStorage(store: AttachedStorageStore, connection?: string, label?: string): Promise<AttachedRecord | undefined> {
  const value = connection ?? (await askConnection(store, {
    title: "Attach storage with collected model data",
    prompt: "A connection string, an account SAS URL or a container SAS URL. It is kept in VS Code's secret storage.",
    placeHolder: "DefaultEndpointsProtocol=https;AccountName=…  or  https://<account>.blob.core.windows.net/?sv=…&sig=…",
  }));
  if (!value?.trim()) return undefined;
  try {
    return await store.attach(value, label);
  } catch (error) {
    if (error instanceof StorageConnectionError) void vscode.window.showErrorMessage(error.message);
    else throw error;
    return undefined;
  }
}

/** A connection string or SAS, typed password-style and checked as it is typed. */
function askConnection(store: AttachedStorageStore, box: { title: string; prompt: string; placeHolder?: string }): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    ...box, password: true, ignoreFocusOut: true,
    validateInput: (text) => {
      if (!text.trim()) return undefined;
      try {
        store.validate(text);
        return undefined;
      } catch (error) {
        return error instanceof StorageConnectionError ? error.message : String(error);
      }
    },
  });
}

/** A refused key or SAS: the same storage with a new secret (asked password-style when not given). */
export async function reenterStorageSecret(store: AttachedStorageStore, id: string | undefined, connection?: string): Promise<AttachedRecord | undefined> {
  const record = store.list().find((r) => r.id === id) ?? (await pickAttached(store, "Enter a new secret for which storage?"));
  if (!record) return undefined;
  const key = record.kind === "connectionString" && record.permissions === undefined;
  const value = connection ?? (await askConnection(store, {
    title: `New ${key ? "connection string" : "SAS"} for ${record.label}`,
    prompt: `The storage account refused the saved one. Paste the current ${key ? "connection string (Access keys in the portal)" : "SAS URL"} for account ${record.accountName}; it replaces the old one in VS Code's secret storage.`,
  }));
  if (!value?.trim()) return undefined;
  try {
    return await store.replaceSecret(record.id, value);
  } catch (error) {
    if (error instanceof StorageConnectionError) void vscode.window.showErrorMessage(error.message);
    else throw error;
    return undefined;
  }
}

/** From the view (a node or the palette) it asks first; an id passed by code (tests, other extensions) does not. */
export async function detachStorage(store: AttachedStorageStore, target: ModelDataNode | string | undefined): Promise<boolean> {
  const id = typeof target === "string" ? target : target?.kind === "source" && target.source.kind === "attached" ? target.source.id.replace(/^attached:/, "") : undefined;
  const record = store.list().find((r) => r.id === id) ?? (await pickAttached(store));
  if (!record) return false;
  if (typeof target !== "string") {
    const detach = "Detach";
    const answer = await vscode.window.showWarningMessage(`Detach ${record.label}?`, { modal: true, detail: "Its saved connection string or SAS is deleted from VS Code's secret storage; attach it again to browse it." }, detach);
    if (answer !== detach) return false;
  }
  await store.detach(record.id);
  void vscode.window.setStatusBarMessage(`Detached ${record.label}; its saved secret was deleted.`, 4000);
  return true;
}

async function pickAttached(store: AttachedStorageStore, title = "Detach storage"): Promise<AttachedRecord | undefined> {
  const records = store.list();
  if (records.length === 0) return undefined;
  const picked = await vscode.window.showQuickPick(records.map((r) => ({ label: r.label, description: r.kind, record: r })), { title });
  return picked?.record;
}

export async function signIn(registry: SourceRegistry): Promise<boolean> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  if (config.get<string>("azure.authentication") === "azureCli") {
    void vscode.window.showInformationMessage("Run `az login` in a terminal, then refresh the Azure ML Data view.");
    return false;
  }
  const cloud = registry.cloud();
  return sessionSignIn(cloud.authProviderId, managementScope(cloud), config.get<string>("azure.tenant") || undefined);
}

/** Read an account with its key (ARM listKeys) after the user agrees; remembered per account. */
export async function useAccountKey(state: vscode.Memento, accountName: string | undefined, confirmed = false): Promise<boolean> {
  if (!accountName) return false;
  if (!confirmed) {
    const choice = await vscode.window.showWarningMessage(
      `Read storage account '${accountName}' with its account key? The key is fetched from Azure Resource Manager (needs the listKeys permission), kept in memory only, and fails where shared-key access is disabled.`,
      { modal: true }, "Use Account Key");
    if (choice !== "Use Account Key") return false;
  }
  const accounts = new Set(state.get<string[]>(KEY_ACCOUNTS_STATE, []));
  accounts.add(accountName);
  await state.update(KEY_ACCOUNTS_STATE, [...accounts]);
  return true;
}

export async function openInStudio(node: ModelDataNode | undefined): Promise<string | undefined> {
  if (node?.kind !== "workspace" || !node.scope.source?.studioUrl) return undefined;
  const url = node.scope.source.studioUrl(node.scope.info);
  await vscode.env.openExternal(vscode.Uri.parse(url));
  return url;
}
