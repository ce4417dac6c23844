// Bundles the extension (Node, CommonJS), the lazily loaded Azure layer and the webview app (browser)
// into dist/; with --tests, transpiles src/ and test/ into out/ for the test tiers.
import * as esbuild from "esbuild";
import { mkdirSync, readdirSync, statSync, rmSync } from "node:fs";
import { join } from "node:path";

const production = process.argv.includes("--production");
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
  // The preview's worker, bundled as it ships, for the unit tier and the benchmarks.
  await esbuild.build({ entryPoints: { previewWorker: "src/engine/worker.ts" }, outdir: "out", platform: "node", format: "cjs", bundle: true, sourcemap: "inline", target: "es2022", logLevel: "warning" });
  // Benchmarks run our code bundled, as the extension ships it: a file-by-file transpile turns every
  // imported call into a property getter, which a hot loop pays for.
  await esbuild.build({
    entryPoints: ["test/bench/preview.ts", "test/bench/tree.ts", "test/bench/drift.ts", "test/bench/trainingSet.ts"],
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
      entryPoints: { extension: "src/extension.ts", azure: "src/azure/api.ts", previewWorker: "src/engine/worker.ts" },
      outdir: "dist",
      platform: "node",
      format: "cjs",
      external: ["vscode"],
      // Some Azure packages resolve to ESM builds that read import.meta.url; give the CJS bundle one.
      define: { "import.meta.url": "__importMetaUrl" },
      banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    }),
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
}
