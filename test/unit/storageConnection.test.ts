import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { parseStorageConnection, sasCanList, StorageConnectionError } from "../../src/core/storageConnection";

const KEY = Buffer.alloc(64, 7).toString("base64");

describe("parseStorageConnection", () => {
  it("reads an account connection string with its endpoint suffix", () => {
    const c = parseStorageConnection(`DefaultEndpointsProtocol=https;AccountName=mlstore01;AccountKey=${KEY};EndpointSuffix=core.chinacloudapi.cn`);
    assert.deepEqual(c, { kind: "connectionString", accountName: "mlstore01", blobEndpoint: "https://mlstore01.blob.core.chinacloudapi.cn" });
  });

  it("reads Azurite's path-style BlobEndpoint and UseDevelopmentStorage", () => {
    assert.equal(parseStorageConnection(`AccountName=devstoreaccount1;AccountKey=${KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;`).blobEndpoint, "http://127.0.0.1:10000/devstoreaccount1");
    assert.equal(parseStorageConnection("UseDevelopmentStorage=true").accountName, "devstoreaccount1");
  });

  it("tells account SAS from container SAS, host-style and path-style", () => {
    const account = parseStorageConnection("https://mlstore01.blob.core.windows.net/?sv=2024-11-04&ss=b&srt=sco&sp=rl&se=2099-12-01T00:00:00Z&sig=abc");
    assert.equal(account.kind, "accountSas");
    assert.equal(account.accountName, "mlstore01");
    assert.equal(sasCanList(account), true);
    const container = parseStorageConnection("https://mlstore01.blob.core.windows.net/modeldata?sv=2024-11-04&sr=c&sp=r&sig=abc");
    assert.deepEqual([container.kind, container.container, sasCanList(container)], ["containerSas", "modeldata", false]);
    const pathStyle = parseStorageConnection("http://127.0.0.1:10000/devstoreaccount1/modeldata?sv=1&sr=c&sp=rl&sig=abc");
    assert.deepEqual([pathStyle.kind, pathStyle.accountName, pathStyle.container, pathStyle.blobEndpoint], ["containerSas", "devstoreaccount1", "modeldata", "http://127.0.0.1:10000/devstoreaccount1"]);
  });

  it("refuses what cannot work, with a message that says what to paste", () => {
    assert.throws(() => parseStorageConnection("https://mlstore01.blob.core.windows.net/modeldata"), /no SAS signature/);
    assert.throws(() => parseStorageConnection("AccountName=x"), /neither AccountKey nor SharedAccessSignature/);
    assert.throws(() => parseStorageConnection("hello"), StorageConnectionError);
  });

  it("says exactly what is wrong with garbage pasted as a connection string or SAS", () => {
    assert.throws(() => parseStorageConnection("AccountName=foo;AccountKey=bar"), /AccountKey is not a storage account key/);
    assert.throws(() => parseStorageConnection(`AccountName=foo;AccountKey=${KEY}`), /needs DefaultEndpointsProtocol=https/);
    assert.throws(() => parseStorageConnection(`DefaultEndpointsProtocol=https;AccountName=foo;AccountKey=${KEY};BlobEndpoint=not a url`), /BlobEndpoint is not a URL/);
    assert.throws(() => parseStorageConnection("https://example.com/container?sv=2024-11-04&sr=c&sp=rl&sig=abc"), /example\.com is not a storage blob endpoint/);
    assert.throws(() => parseStorageConnection("https://mlstore01.blob.core.windows.net/?sig=abc"), /lacks its version \(sv=\)/);
    assert.throws(() => parseStorageConnection("https://mlstore01.blob.core.windows.net/?sv=2024-11-04&sig=abc"), /neither what account services it grants/);
    assert.throws(() => parseStorageConnection("https://mlstore01.blob.core.windows.net/?sv=2024-11-04&ss=q&srt=sco&sp=rl&sig=abc"), /does not include the Blob service/);
    assert.throws(() => parseStorageConnection("https://mlstore01.blob.core.windows.net/?sv=2024-11-04&ss=b&srt=sco&sp=rl&se=2020-01-01T00:00:00Z&sig=abc"), /expired on 2020-01-01 00:00 UTC/);
    assert.throws(() => parseStorageConnection("BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sp=rl&sig=x"), /lacks its version/);
  });
});
