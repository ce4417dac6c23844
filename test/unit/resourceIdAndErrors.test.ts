import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { credentialOf } from "../../src/core/storageConnection";
import { noAnswerError } from "../../src/core/networkTimeouts";
import { parseResourceId } from "../../src/core/resourceId";
import { describeArmRefusal, describeError, redactSecrets } from "../../src/core/errors";
import { modelLabelFromId } from "../../src/tree/children";

describe("parseResourceId", () => {
  it("reads nested ML resources", () => {
    const id = parseResourceId("/subscriptions/s1/resourceGroups/RG/providers/Microsoft.MachineLearningServices/workspaces/ws/onlineEndpoints/e/deployments/blue");
    assert.deepEqual(id?.segments, [{ type: "workspaces", name: "ws" }, { type: "onlineEndpoints", name: "e" }, { type: "deployments", name: "blue" }]);
    assert.equal(id?.resourceGroup, "RG");
    assert.equal(id?.name, "blue");
  });

  it("rejects ids that are not resource ids", () => {
    assert.equal(parseResourceId("/subscriptions/s1"), undefined);
    assert.equal(parseResourceId("/subscriptions/s1/resourceGroups/rg/providers/X/workspaces"), undefined);
  });

  it("turns model ids into name:version", () => {
    assert.equal(modelLabelFromId("/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w/models/credit/versions/3"), "credit:3");
    assert.equal(modelLabelFromId("azureml:credit:3"), "credit:3");
    assert.equal(modelLabelFromId(undefined), undefined);
  });
});

describe("describeError", () => {
  it("names the missing data role on 403", () => {
    assert.match(describeError({ name: "RestError", statusCode: 403, message: "This request is not authorized" }).message, /Storage Blob Data Reader/);
  });

  it("says what a 403 means for each credential: an expired SAS, another SAS refusal, a refused key, a missing role", () => {
    const now = new Date("2026-11-30T12:00:00Z");
    const denied = { name: "RestError", statusCode: 403, code: "AuthorizationFailure", message: "not authorized" };
    const expired = describeError(denied, credentialOf("https://acct.blob.core.windows.net/?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2026-10-01T08:30:00Z&sig=x"), now);
    assert.equal(expired.message, "The SAS expired on 2026-10-01 08:30 UTC. Attach the storage again with a new SAS.");
    assert.equal(expired.suggestion, "reattach");
    const valid = describeError(denied, credentialOf("BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=2022-11-02&sp=r&se=2027-01-01T00:00:00Z&sig=x"), now);
    assert.match(valid.message, /refused this SAS: it may lack read or list permission/);
    assert.doesNotMatch(valid.message, /Storage Blob Data Reader/);
    const key = describeError({ ...denied, code: "AuthenticationFailed" }, credentialOf("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5"), now);
    assert.match(key.message, /refused the account key/);
    assert.doesNotMatch(key.message, /Storage Blob Data Reader|SAS/);
    assert.match(describeError(denied, { kind: "entra" }, now).message, /Storage Blob Data Reader/);
    // A SAS whose permissions are known to lack list says exactly that.
    const noList = describeError(denied, { kind: "sas", expiresOn: "2027-01-01T00:00:00Z", permissions: "r" }, now);
    assert.equal(noList.message, "This SAS cannot list blobs (its permissions are sp=r); browsing needs read and list (sp=rl). Enter a SAS with both.");
    assert.equal(noList.suggestion, "reattach");
  });

  it("says which host did not answer, with a way to retry", () => {
    const d = describeError(noAnswerError("127.0.0.1:10000", 30_000));
    assert.equal(d.message, "No answer from 127.0.0.1:10000 after 30 s. Check the network (or the storage firewall) and retry.");
    assert.equal(d.retryable, true);
  });

  it("explains disabled shared-key access", () => {
    assert.match(describeError({ code: "KeyBasedAuthenticationNotPermitted", statusCode: 403, message: "x" }).message, /Shared-key access is disabled/);
  });

  it("offers retry on network failures", () => {
    const d = describeError({ code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:1" });
    assert.equal(d.retryable, true);
    assert.match(d.message, /network/);
  });

  it("never carries keys, SAS signatures or bearer tokens into messages", () => {
    const text = "AccountName=a;AccountKey=c2VjcmV0;BlobEndpoint=x https://a.blob.core.windows.net/c?sv=1&sig=abc%2Bdef&se=2 Authorization: Bearer eyJ0eXAi.abc";
    const redacted = redactSecrets(text);
    for (const secret of ["c2VjcmV0", "abc%2Bdef", "eyJ0eXAi.abc"]) assert.equal(redacted.includes(secret), false, secret);
    assert.equal(describeError({ message: text }).detail.includes("c2VjcmV0"), false);
  });
});

describe("describeArmRefusal", () => {
  it("keeps ARM's code and message, adds what to do, and redacts a secret an error might carry", () => {
    assert.equal(describeArmRefusal({ statusCode: 403, code: "AuthorizationFailed", message: "no schedules/write" }),
      "AuthorizationFailed: no schedules/write — your account lacks a role on the workspace (AzureML Data Scientist or Contributor).");
    assert.equal(describeArmRefusal({ statusCode: 409, code: "Conflict", message: "exists" }), "Conflict: exists — choose another name or version.");
    assert.doesNotMatch(describeArmRefusal({ statusCode: 400, code: "UserError", message: "bad uri https://a.blob.core.windows.net/c?sv=2020&sig=abc123" }), /abc123/);
  });
});
