// Check 2: does the scoring code the deployment runs collect what is on? Judged from the shared analysis's
// findings on the deployed file (the caller runs the analysis; this stays free of the parser).
import { result, type CheckResult } from "./checkResult";

export interface CodeFinding {
  severity: "problem" | "warning";
  message: string;
  /** 1-based line in the deployed file. */
  line: number;
  fixable: boolean;
}

export interface DeployedCode {
  /** Where the file was read (blob path or URL), for the evidence. */
  path: string;
  /** The SDK the file uses, if any. */
  sdk?: "legacy" | "current";
  findings: CodeFinding[];
}

/**
 * `sdkCollections`: the collections that are on and need a collector in the code (not request/response);
 * `serviceSdk`: the SDK whose collectors this kind of service writes (an online deployment: current).
 */
export function judgeCode(code: DeployedCode, sdkCollections: readonly string[], serviceSdk?: "legacy" | "current"): CheckResult {
  const seen = [`Read ${code.path}.`];
  if (code.sdk && serviceSdk && code.sdk !== serviceSdk && sdkCollections.length > 0) {
    seen.push(code.sdk === "legacy"
      ? `It uses azureml-monitoring's ModelDataCollector, which writes only for SDK v1 web services: ${sdkCollections.join(", ")} get nothing from it. An online deployment's collections are written by azureml-ai-monitoring's Collector.`
      : "It uses azureml-ai-monitoring's Collector, which writes only for online deployments; a v1 web service needs azureml-monitoring's ModelDataCollector.");
  }
  const wrongSdk = seen.length > 1;
  if (!code.sdk) {
    if (sdkCollections.length === 0) return result("code", "ok", [...seen, "It uses no collector SDK, and only payload logging (request/response) is on, which needs none."]);
    return result("code", "problem", [...seen, `It makes no collector, but ${sdkCollections.join(", ")} ${sdkCollections.length === 1 ? "is" : "are"} on: those collections get data only from Collector(name=…).collect(…) in run().`],
      "Add data collection to the scoring file and redeploy.", { kind: "showCorrectedCode", label: "Show Corrected Code" });
  }
  const problems = code.findings.filter((f) => f.severity === "problem");
  const lines = code.findings.map((f) => `${f.line > 0 ? `Line ${f.line}: ` : ""}${f.message}`);
  if (code.findings.length === 0 && !wrongSdk) return result("code", "ok", [...seen, `It makes its collectors on every path of init() and collects in run()${sdkCollections.length ? ` (${sdkCollections.join(", ")})` : ""}.`]);
  const fix = code.findings.some((f) => f.fixable) ? { kind: "showCorrectedCode" as const, label: "Show Corrected Code" } : undefined;
  return result("code", problems.length > 0 || wrongSdk ? "problem" : "warning", [...seen, ...lines],
    `${fix ? "Compare the deployed file with the corrected copy, apply the changes to your source" : "Change the scoring file as described"}, then redeploy: a deployment runs the code it was deployed with.`, fix);
}
