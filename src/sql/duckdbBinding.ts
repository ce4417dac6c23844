// DuckDB's native binding as the bundled SQL worker loads it: from dist/duckdb/<platform>-<arch>/, where
// build.mjs copies the platform's files (a universal build has none; SqlEngine says so before loading).
// A path known only at run time, so esbuild leaves this require to Node.
/* eslint-disable @typescript-eslint/no-require-imports */
const { join } = require("node:path") as typeof import("node:path");
module.exports = require(join(__dirname, "duckdb", `${process.platform}-${process.arch}`, "duckdb.node"));
