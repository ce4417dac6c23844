// What a data scientist would write instead of a compare: pandas reading the same days from local disk and
// SciPy computing the same metrics by the same definitions (the notebook's DRIFT_FUNCTIONS). Run with
// Debian's python3-pandas and python3-scipy, installed here when missing and allowed; else skipped, said why.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DRIFT_FUNCTIONS } from "../../src/core/azureml/notebook";

const PYTHON = "/usr/bin/python3";

/** Whether pandas and SciPy import; tries Debian's packages once when they do not and we may install. */
export function peerPython(): { ok: true } | { ok: false; why: string } {
  const imports = () => spawnSync(PYTHON, ["-c", "import pandas, scipy"], { stdio: "ignore" }).status === 0;
  if (imports()) return { ok: true };
  if (process.getuid?.() !== 0) return { ok: false, why: "pandas and SciPy are not installed (apt-get install python3-pandas python3-scipy) and this is not root" };
  const install = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "python3-pandas", "python3-scipy"], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  return install.status === 0 && imports() ? { ok: true } : { ok: false, why: "installing python3-pandas and python3-scipy failed (no package archive?)" };
}

/** Seconds pandas + SciPy take to read the CSV files and compute every feature's metrics and null rates. */
export function runPeer(folder: string, reference: string[], production: string[], numeric: string[], categorical: string[]): { seconds: number; drifted: string[] } {
  const script = join(folder, "peer.py");
  writeFileSync(script, `${DRIFT_FUNCTIONS}
import json, sys, time
t = time.perf_counter()
ref = pd.concat([pd.read_csv(p) for p in ${JSON.stringify(reference)}], ignore_index=True)
prod = pd.concat([pd.read_csv(p) for p in ${JSON.stringify(production)}], ignore_index=True)
drifted = []
for column in ${JSON.stringify(numeric)}:
    m = numerical(ref[column].dropna().to_numpy(), prod[column].dropna().to_numpy())
    if m["normalizedWasserstein"] > 0.1: drifted.append(column)
for column in ${JSON.stringify(categorical)}:
    m = categorical(ref[column].dropna().astype(str).to_numpy(), prod[column].dropna().astype(str).to_numpy())
    if m["jensenShannon"] > 0.1: drifted.append(column)
quality = {c: (float(ref[c].isna().mean()), float(prod[c].isna().mean())) for c in ${JSON.stringify([...numeric, ...categorical])}}
print(json.dumps({"seconds": time.perf_counter() - t, "drifted": sorted(drifted)}))
`);
  const result = spawnSync(PYTHON, [script], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`the pandas + SciPy peer failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}");
}
