// Check 3: does the deployment get requests? Its share of the endpoint's traffic, and any mirrored share.
import { result, type CheckResult } from "./checkResult";

export function judgeTraffic(deploymentName: string, traffic: Record<string, number> | undefined, mirrorTraffic: Record<string, number> | undefined): CheckResult {
  const share = lookup(traffic, deploymentName);
  const mirror = lookup(mirrorTraffic, deploymentName);
  const others = Object.entries(traffic ?? {}).filter(([name, value]) => name.toLowerCase() !== deploymentName.toLowerCase() && value > 0).map(([name, value]) => `${name} ${value}%`);
  const seen = [`${deploymentName} gets ${share ?? 0}% of the endpoint's traffic${others.length ? ` (${others.join(", ")})` : ""}.`];
  if (mirror) seen.push(`${mirror}% of the traffic is mirrored to it.`);
  if (!share && !mirror) {
    return result("traffic", "problem", seen, "No requests reach this deployment, so it collects nothing (unless it is called by name with the azureml-model-deployment header). Give it traffic on the endpoint.", { kind: "openStudio", label: "Open Endpoint in Studio" });
  }
  return result("traffic", "ok", seen);
}

function lookup(map: Record<string, number> | undefined, name: string): number | undefined {
  const hit = Object.entries(map ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return hit?.[1];
}
