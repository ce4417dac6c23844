// DuckDB's native binding as the bundled SQL worker loads it: from dist/duckdb/<platform>-<arch>/, where
// build.mjs copies the platform's files (a universal build has none; SqlEngine says so before loading).
const { join } = require("node:path");
const load = typeof __non_webpack_require__ === "function" ? __non_webpack_require__ : require;
module.exports = load(join(__dirname, "duckdb", `${process.platform}-${process.arch}`, "duckdb.node"));
