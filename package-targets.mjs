// Builds one VSIX per platform, each carrying that platform's DuckDB binding (SQL queries), and a universal
// VSIX without DuckDB (everything but Query Data). `npm run package` builds only this machine's.
// Bindings for other platforms come from the npm registry (npm pack), pinned to the installed version.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const TARGETS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"];
const version = JSON.parse(readFileSync(join("node_modules", "@duckdb", "node-bindings", "package.json"), "utf8")).version;
const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit", shell: process.platform === "win32" });
const wanted = process.argv.slice(2);

/** The binding package for `target`, unpacked under .cache/duckdb-bindings/<target>/package (skipped when installed). */
export function fetchBinding(target) {
  if (existsSync(join("node_modules", "@duckdb", `node-bindings-${target}`, "duckdb.node"))) return;
  const dir = join(".cache", "duckdb-bindings", target);
  if (existsSync(join(dir, "package", "duckdb.node"))) return;
  mkdirSync(dir, { recursive: true });
  const file = execFileSync("npm", ["pack", `@duckdb/node-bindings-${target}@${version}`, "--pack-destination", dir, "--silent"], { encoding: "utf8" }).trim().split("\n").pop();
  run("tar", ["-xzf", join(dir, file), "-C", dir]);
}

mkdirSync("dist-vsix", { recursive: true });
for (const target of TARGETS.filter((t) => wanted.length === 0 || wanted.includes(t))) {
  fetchBinding(target);
  run("node", ["build.mjs", "--production", `--duckdb=${target}`]);
  run("npx", ["vsce", "package", "--no-dependencies", "--target", target, "--out", join("dist-vsix", `azureml-model-data-${target}.vsix`)]);
}
if (wanted.length === 0 || wanted.includes("universal")) {
  run("node", ["build.mjs", "--production", "--duckdb=none"]);
  run("npx", ["vsce", "package", "--no-dependencies", "--out", join("dist-vsix", "azureml-model-data-universal.vsix")]);
}
