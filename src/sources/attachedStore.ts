// Attached storage: the connection string or SAS lives in SecretStorage; only its non-secret description
// (kind, account, container, endpoint) is kept in globalState.
import * as vscode from "vscode";
import { randomUUID } from "node:crypto";
import { describeConnection, parseStorageConnection, StorageConnectionError, type ParsedStorageConnection } from "../core/storageConnection";

export interface AttachedRecord extends ParsedStorageConnection {
  id: string;
  label: string;
}

const STATE_KEY = "modelData.attachedStorage";
const secretKey = (id: string) => `modelData.attachedStorage.${id}`;

export class AttachedStorageStore {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento, private readonly secrets: vscode.SecretStorage) {}

  list(): AttachedRecord[] {
    return this.state.get<AttachedRecord[]>(STATE_KEY, []);
  }

  async secret(id: string): Promise<string | undefined> {
    return this.secrets.get(secretKey(id));
  }

  /** Throws StorageConnectionError when the text is not something that can be attached. */
  validate(connection: string): void {
    parseStorageConnection(connection);
  }

  /** Parses (throws StorageConnectionError on bad input), stores the secret, and returns the record. */
  async attach(connection: string, label?: string): Promise<AttachedRecord> {
    const parsed = parseStorageConnection(connection);
    const record: AttachedRecord = { ...parsed, id: randomUUID(), label: label?.trim() || describeConnection(parsed) };
    await this.secrets.store(secretKey(record.id), connection.trim());
    await this.state.update(STATE_KEY, [...this.list(), record]);
    this.changed.fire();
    return record;
  }

  /** A new secret for the same account (a rotated key, a renewed SAS); throws StorageConnectionError otherwise. */
  async replaceSecret(id: string, connection: string): Promise<AttachedRecord> {
    const record = this.list().find((r) => r.id === id);
    if (!record) throw new StorageConnectionError("This storage is no longer attached.");
    const parsed = parseStorageConnection(connection);
    if (parsed.accountName.toLowerCase() !== record.accountName.toLowerCase()) {
      throw new StorageConnectionError(`That is for account '${parsed.accountName}', not '${record.accountName}'. Attach it as new storage instead.`);
    }
    const updated: AttachedRecord = { ...parsed, id, label: record.label };
    await this.secrets.store(secretKey(id), connection.trim());
    await this.state.update(STATE_KEY, this.list().map((r) => (r.id === id ? updated : r)));
    this.changed.fire();
    return updated;
  }

  async detach(id: string): Promise<void> {
    await this.secrets.delete(secretKey(id));
    await this.state.update(STATE_KEY, this.list().filter((r) => r.id !== id));
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
