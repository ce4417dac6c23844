import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { parseResourceId } from "../../src/core/resourceId";
import { describeError, redactSecrets } from "../../src/core/errors";
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
