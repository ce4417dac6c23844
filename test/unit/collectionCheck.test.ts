// The collection check's pure judgement: each link's rules, log matching on realistic inference-server text,
// where a code asset lives, and what a monitor's parser would trip on.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { matchCollectorLog, judgeLog } from "../../src/core/collectionCheck/runtimeLog";
import { judgeStorage, age } from "../../src/core/collectionCheck/storage";
import { judgeTraffic } from "../../src/core/collectionCheck/traffic";
import { collectionSettings, judgeCurrentConfiguration, judgeLegacyConfiguration } from "../../src/core/collectionCheck/configuration";
import { judgeMonitoring } from "../../src/core/collectionCheck/monitoring";
import { judgeCode } from "../../src/core/collectionCheck/code";
import { parseCodeUri, scoringScriptBlob } from "../../src/core/collectionCheck/codeLocation";
import { sampleJsonlTypes } from "../../src/core/collectionCheck/sampleTypes";
import { worstStatus, unknownCheck, result } from "../../src/core/collectionCheck/checkResult";

const SERVER_LOG = `2026-03-04 08:00:02,401 I [10] azmlinfsrv.user_script - Found user script at /var/azureml-app/src/score.py
2026-03-04 08:00:03,950 I [10] azmlinfsrv - Users's init has completed successfully
2026-03-04 08:14:07,229 E [10] azmlinfsrv - Encountered Exception: Traceback (most recent call last):
  File "/opt/miniconda/envs/userenv/lib/python3.10/site-packages/azureml_inference_server_http/server/user_script.py", line 132, in invoke_run
    run_output = self._wrapped_user_run(**run_parameters, request_headers=dict(request.headers))
  File "/var/azureml-app/src/score.py", line 17, in run
    context = inputs_collector.collect(input_df)
NameError: name 'inputs_collector' is not defined

2026-03-04 08:15:00,001 E [10] azmlinfsrv - Encountered Exception: Traceback (most recent call last):
  File "/var/azureml-app/src/score.py", line 20, in run
    value = payload["amount"]
KeyError: 'amount'

2026-03-04 08:16:11,512 E [10] azmlinfsrv - AttributeError: 'ModelDataCollector' object has no attribute '_handle'
2026-03-04 08:17:00,000 I [10] azmlinfsrv - downloading https://acct.blob.core.windows.net/c/x?sv=2022&sig=SECRETSIGNATURE%3D
2026-03-04 08:18:00,000 E [10] azmlinfsrv - TypeError: __init__() got an unexpected keyword argument 'identifier'
`;

describe("runtime log matching", () => {
  it("quotes the collector's tracebacks and error lines under the check they belong to, and nothing else", () => {
    const found = matchCollectorLog(SERVER_LOG);
    assert.deepEqual(found.map((f) => f.check), ["code", "configuration", "code"]);
    assert.deepEqual(found[0].lines, ['  File "/var/azureml-app/src/score.py", line 17, in run', "    context = inputs_collector.collect(input_df)", "NameError: name 'inputs_collector' is not defined"]);
    assert.match(found[0].what, /run\(\) uses inputs_collector, which init\(\) never made/);
    assert.match(found[1].what, /not enabled on the service/);
    assert.match(found[2].what, /identifier=/);
    assert.ok(!found.some((f) => f.lines.join("\n").includes("KeyError")), "a traceback that does not involve the collector is not quoted");
  });

  it("redacts secrets in quoted lines and says when the log is clean", () => {
    const [finding] = matchCollectorLog("2026-03-04 E [1] azmlinfsrv - inputs_collector failed writing https://a.blob.core.windows.net/c/x?sv=1&sig=TOPSECRET: Must pass 2-d input\n");
    assert.doesNotMatch(finding.lines.join("\n"), /TOPSECRET/);
    assert.match(finding.lines[0], /sig=<redacted>/);
    const clean = judgeLog(500, "2026-03-04 I [10] azmlinfsrv - POST /score 200 5ms\n");
    assert.equal(clean.status, "ok");
    assert.match(clean.seen.join(" "), /last 500 lines.*\(1 returned\)/);
    const broken = judgeLog(500, SERVER_LOG);
    assert.equal(broken.status, "problem");
    assert.equal(broken.quotes?.length, 5);
  });
});

describe("configuration, traffic, code and monitoring rules", () => {
  const settings = (mode: string, samplingRate?: number) => collectionSettings({ collections: { model_inputs: { dataCollectionMode: mode, samplingRate }, model_outputs: { dataCollectionMode: mode, samplingRate } } } as never);

  it("configuration: off is a problem with Enable, 0% sampling a problem, under 5% a warning", () => {
    const off = judgeCurrentConfiguration(settings("Disabled"), "Succeeded");
    assert.deepEqual([off.status, off.fix?.kind], ["problem", "enable"]);
    assert.equal(judgeCurrentConfiguration(settings("Enabled", 0), "Succeeded").status, "problem");
    assert.equal(judgeCurrentConfiguration(settings("Enabled", 0.01), "Succeeded").status, "warning");
    assert.equal(judgeCurrentConfiguration(settings("Enabled", 1), "Succeeded").status, "ok");
    assert.equal(judgeCurrentConfiguration([], "Succeeded").status, "problem");
    assert.equal(judgeLegacyConfiguration(false, true).status, "problem");
    assert.match(judgeLegacyConfiguration(false, true).seen.join(" "), /_handle/);
    assert.equal(judgeLegacyConfiguration(undefined, undefined).status, "unknown");
  });

  it("traffic: 0% is a problem unless the deployment gets mirrored traffic; names match case-insensitively", () => {
    assert.equal(judgeTraffic("green", { blue: 100, green: 0 }, {}).status, "problem");
    assert.equal(judgeTraffic("green", { blue: 100 }, { green: 10 }).status, "ok");
    assert.equal(judgeTraffic("Blue", { blue: 100 }, undefined).status, "ok");
  });

  it("code: no collector with SDK collections on is a problem; payload logging alone needs none", () => {
    assert.equal(judgeCode({ path: "c/score.py", findings: [] }, ["model_inputs"]).status, "problem");
    assert.equal(judgeCode({ path: "c/score.py", findings: [] }, []).status, "ok");
    const warned = judgeCode({ path: "c/score.py", sdk: "current", findings: [{ severity: "warning", message: "m", line: 3, fixable: false }] }, ["model_inputs"]);
    assert.deepEqual([warned.status, warned.fix], ["warning", undefined]);
    assert.match(warned.seen.join(" "), /Line 3: m/);
  });

  it("monitoring: a credential-less default datastore is a problem; missing assets and a custom dataId without identity are warnings", () => {
    const assets = [{ collection: "model_inputs", asset: "e-d-model_inputs", custom: false, exists: true }];
    assert.equal(judgeMonitoring({ defaultDatastore: { name: "workspaceblobstore", credentialsType: "None" }, assets }).status, "problem");
    assert.equal(judgeMonitoring({ defaultDatastore: { name: "workspaceblobstore", credentialsType: "AccountKey" }, assets }).status, "ok");
    assert.equal(judgeMonitoring({ defaultDatastore: { name: "w", credentialsType: "AccountKey" }, assets: [{ ...assets[0], exists: false }] }).status, "warning");
    const custom = judgeMonitoring({ defaultDatastore: { name: "w", credentialsType: "Sas" }, assets: [{ ...assets[0], custom: true }] });
    assert.equal(custom.status, "warning");
    assert.match(custom.seen.join(" "), /no managed identity/);
    assert.match(judgeMonitoring({ defaultDatastore: { name: "w", credentialsType: "Sas" }, assets: [{ ...assets[0], custom: true }], identity: "SystemAssigned" }).seen.join(" "), /Storage Blob Data Contributor/);
  });

  it("the worst status: problem over warning over unknown over ok", () => {
    assert.equal(worstStatus([result("code", "ok", []), unknownCheck("log", "x")]), "unknown");
    assert.equal(worstStatus([unknownCheck("log", "x"), result("code", "warning", [])]), "warning");
    assert.equal(worstStatus([result("code", "warning", []), result("traffic", "problem", [])]), "problem");
    assert.equal(worstStatus([]), "ok");
  });
});

describe("storage rules", () => {
  const now = new Date("2026-03-04T20:00:00Z");
  const file = (at: string) => ({ name: "2026/03/04/15/x.jsonl", lastModified: new Date(at), size: 100 });

  it("judges the newest file's age and the deployment's last update", () => {
    assert.equal(judgeStorage([{ collection: "model_inputs", folder: "f", newest: file("2026-03-04T15:59:00Z"), foreign: [] }], new Date("2026-02-01T00:00:00Z"), now).status, "ok");
    const stopped = judgeStorage([{ collection: "model_inputs", folder: "f", newest: file("2026-03-01T15:59:00Z"), foreign: [] }], new Date("2026-02-01T00:00:00Z"), now);
    assert.equal(stopped.status, "problem");
    assert.match(stopped.seen.join(" "), /data stopped 3 days ago/);
    const afterUpdate = judgeStorage([{ collection: "model_inputs", folder: "f", newest: file("2026-03-04T10:59:00Z"), foreign: [] }], new Date("2026-03-04T12:00:00Z"), now);
    assert.match(afterUpdate.seen.join(" "), /nothing since the deployment was updated 8 hours ago/);
    const fresh = judgeStorage([{ collection: "model_inputs", folder: "f", foreign: [] }], new Date("2026-03-04T19:40:00Z"), now);
    assert.equal(fresh.status, "warning", "an empty folder minutes after a redeploy is not yet a problem");
    assert.equal(judgeStorage([{ collection: "model_inputs", folder: "f", foreign: [] }], new Date("2026-03-01T00:00:00Z"), now).status, "problem");
  });

  it("warns of files that are not the collector's and of values a monitor cannot parse", () => {
    const untidy = judgeStorage([{ collection: "model_outputs", folder: "f", newest: file("2026-03-04T15:59:00Z"), foreign: ["notes.txt"], numbersAsText: ["score"], mixedTypes: ["age"] }], undefined, now);
    assert.equal(untidy.status, "warning");
    assert.match(untidy.seen.join(" "), /notes\.txt.*numbers written as text in score.*mixed types in age/s);
    assert.deepEqual([age(30 * 60_000), age(5 * 3600_000), age(3 * 86_400_000)], ["30 minutes", "5 hours", "3 days"]);
  });

  it("samples the newest file's types from its JSON lines (a cut last line is dropped)", () => {
    const line = (data: object[]) => JSON.stringify({ specversion: "1.0", data });
    const text = [line([{ score: "0.5", age: 31, name: "a" }]), line([{ score: "0.7", age: "unknown", name: "b" }]), '{"specversion":"1.0","data":[{"score":'].join("\n");
    assert.deepEqual(sampleJsonlTypes(text), { numbersAsText: ["score"], mixedTypes: ["age"], records: 2 });
  });
});

describe("code locations", () => {
  it("reads Azure and emulator codeUris, and joins the scoring script's path", () => {
    const azure = parseCodeUri("https://mlstore01.blob.core.windows.net/azureml-blobstore-1/LocalUpload/ab12/src");
    assert.deepEqual(azure, { account: "mlstore01", container: "azureml-blobstore-1", folder: "LocalUpload/ab12/src" });
    assert.deepEqual(parseCodeUri("http://127.0.0.1:10000/devstoreaccount1/code/LocalUpload/x"), { account: "devstoreaccount1", container: "code", folder: "LocalUpload/x" });
    assert.equal(parseCodeUri("not a url"), undefined);
    assert.equal(scoringScriptBlob(azure!, "./onlinescoring/score.py"), "LocalUpload/ab12/src/onlinescoring/score.py");
  });
});
