// Bundles the extension (Node, CommonJS), the lazily loaded Azure layer and the webview app (browser)
// into dist/; with --tests, transpiles src/ and test/ into out/ for the test tiers.
import * as esbuild from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, rmSync } from "node:fs";
import { join } from "node:path";

const production = process.argv.includes("--production");
// Which platform's DuckDB goes into dist/duckdb/: this machine's unless --duckdb=<platform-arch> (a platform
// VSIX) or --duckdb=none (the universal VSIX, without SQL).
const duckdbTarget = process.argv.find((a) => a.startsWith("--duckdb="))?.slice("--duckdb=".length) ?? `${process.platform}-${process.arch}`;

/** Copies a platform's DuckDB binding (duckdb.node and the library beside it) into dist/duckdb/<target>/. */
function copyDuckdb(target) {
  if (target === "none") return;
  const candidates = [join("node_modules", "@duckdb", `node-bindings-${target}`), join(".cache", "duckdb-bindings", target, "package")];
  const from = candidates.find((dir) => existsSync(join(dir, "duckdb.node")));
  if (!from) throw new Error(`DuckDB's binding for ${target} is not here; run: npm run package:targets -- ${target}`);
  const to = join("dist", "duckdb", target);
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) if (/\.(node|so|dylib|dll)$/.test(name)) copyFileSync(join(from, name), join(to, name));
}

/** The SQL worker's bundle loads the binding from dist/duckdb/ rather than from node_modules. */
const duckdbBinding = {
  name: "duckdb-binding",
  setup(build) {
    build.onResolve({ filter: /^@duckdb\/node-bindings$/ }, () => ({ path: join(process.cwd(), "src", "sql", "duckdbBinding.ts") }));
  },
};
const tests = process.argv.includes("--tests");

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: "warning", target: "es2022" };

if (tests) {
  rmSync("out", { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [...tsFiles("src"), ...tsFiles("test")],
    outdir: "out",
    outbase: ".",
    platform: "node",
    format: "cjs",
    sourcemap: "inline",
    target: "es2022",
    logLevel: "warning",
  });
  // The SQL worker for the unit tier and the benchmarks, DuckDB from node_modules.
  await esbuild.build({ entryPoints: { sqlWorker: "src/sql/sqlWorker.ts" }, outdir: "out", platform: "node", format: "cjs", bundle: true, packages: "external", sourcemap: "inline", target: "es2022", logLevel: "warning" });
  // The query cache's download thread, its packages from node_modules.
  await esbuild.build({ entryPoints: { downloadWorker: "src/engine/downloadWorker.ts" }, outdir: "out", platform: "node", format: "cjs", bundle: true, packages: "external", sourcemap: "inline", target: "es2022", logLevel: "warning" });
  // The preview's worker and a compare's measuring thread, bundled as they ship, for the unit tier and the benchmarks.
  await esbuild.build({ entryPoints: { previewWorker: "src/engine/worker.ts", measureWorker: "src/engine/measureWorker.ts", statsWorker: "src/engine/statsWorker.ts" }, outdir: "out", platform: "node", format: "cjs", bundle: true, sourcemap: "inline", target: "es2022", logLevel: "warning" });
  // Benchmarks run our code bundled, as the extension ships it: a file-by-file transpile turns every
  // imported call into a property getter, which a hot loop pays for.
  await esbuild.build({
    entryPoints: ["test/bench/preview.ts", "test/bench/tree.ts", "test/bench/drift.ts", "test/bench/trainingSet.ts", "test/bench/sql.ts", "test/bench/wideRow.ts", "test/bench/firstRowsCold.ts", "test/bench/driftScaling.ts"],
    outdir: "out/test/bench",
    platform: "node",
    format: "cjs",
    bundle: true,
    packages: "external",
    sourcemap: "inline",
    target: "es2022",
    logLevel: "warning",
  });
} else {
  rmSync("dist", { recursive: true, force: true });
  // vsce writes the VSIX here but does not create the folder.
  if (production) mkdirSync("dist-vsix", { recursive: true });
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: { extension: "src/extension.ts", azure: "src/azure/api.ts", previewWorker: "src/engine/worker.ts", measureWorker: "src/engine/measureWorker.ts", statsWorker: "src/engine/statsWorker.ts", downloadWorker: "src/engine/downloadWorker.ts" },
      outdir: "dist",
      platform: "node",
      format: "cjs",
      external: ["vscode"],
      // Some Azure packages resolve to ESM builds that read import.meta.url; give the CJS bundle one.
      define: { "import.meta.url": "__importMetaUrl" },
      banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    }),
    esbuild.build({ ...common, entryPoints: { sqlWorker: "src/sql/sqlWorker.ts" }, outdir: "dist", platform: "node", format: "cjs", plugins: [duckdbBinding] }),
    esbuild.build({
      ...common,
      entryPoints: { "webview/grid": "webview/main.ts", "webview/drift": "webview/drift/main.ts", "webview/check": "webview/check/main.ts" },
      // Lit (in @vscode-elements) reads process.env in development builds.
      define: { "process.env.NODE_ENV": '"production"' },
      outdir: "dist",
      platform: "browser",
      format: "iife",
    }),
  ]);
  copyDuckdb(duckdbTarget);
}
