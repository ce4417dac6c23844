// Plans adding model data collection to a scoring file: insertions only (every original line stays, in
// order), nothing that is already there, following the file's indentation and line endings. Pure.
import type { SyntaxNode } from "@lezer/common";
import { children, descendants, lineEnd, lineIndent, lineStart, readPython, textOf, type FunctionInfo, type PythonSource } from "./pythonSource";
import { FLAVOURS, type CollectorSdk } from "./sdkFlavours";

export interface CollectorOptions {
  sdk: CollectorSdk;
  modelName?: string;
  featureNames?: string[];
  predictionNames?: string[];
}

export interface Insertion {
  offset: number;
  text: string;
}

export interface CollectorPlan {
  insertions: Insertion[];
  /** What this plan adds, in words. */
  added: string[];
  /** What the file already had. */
  present: string[];
  /** Why something could not be added (the rest still is). */
  problems: string[];
}

const PREDICT_CALL = /(^|\.)(predict|predict_proba|predict_log_proba|decision_function|score_samples|forward|generate|infer|run)$|(^|\.)model$/i;
const DATAFRAME_MAKERS = /\b(pd|pandas)\.(DataFrame|read_json|read_csv|json_normalize|concat)\(|\bDataFrame\(/;

export function planCollector(text: string, options: CollectorOptions): CollectorPlan {
  const source = readPython(text);
  const plan: CollectorPlan = { insertions: [], added: [], present: [], problems: [] };
  const flavour = FLAVOURS[options.sdk];
  const run = source.run;
  if (!run) {
    plan.problems.push("No top-level run() function found: Azure ML calls run(data) for every request. Add it, then run this command again.");
    return plan;
  }
  if (source.hasSyntaxErrors) plan.problems.push("The file has syntax errors; check the inserted code after fixing them.");

  const model = options.modelName?.trim() || "model";
  const existing = {
    inputs: findCollector(source, flavour.inputs.pattern),
    outputs: findCollector(source, flavour.outputs.pattern),
  };
  const taken = new Set(source.names);
  const inputsName = existing.inputs ?? freeName(flavour.inputs.defaultName, taken);
  const outputsName = existing.outputs ?? freeName(flavour.outputs.defaultName, taken);

  // 1. The import, after the module docstring and __future__ imports.
  const imports: string[] = [];
  if (source.imports.some((i) => flavour.importPattern.test(textOf(source, i)))) plan.present.push("the collector import");
  else imports.push(flavour.importLine);
  const prediction = findPrediction(source, run);
  const pandasAlias = options.sdk === "current" ? pandasName(source) : undefined;
  const needsPandas = options.sdk === "current" && !pandasAlias && (!isDataFrame(source, run, prediction?.input) || !isDataFrame(source, run, prediction?.result));
  if (needsPandas) imports.push("import pandas as pd");
  const pd = pandasAlias ?? "pd";
  if (imports.length > 0) {
    insertImports(source, plan, imports);
    plan.added.push(...imports.map((i) => `\`${i}\``));
  }

  // 2. init(): globals and the collectors.
  const creations: string[] = [];
  if (existing.inputs) plan.present.push(`${existing.inputs} (inputs collector)`);
  else creations.push(flavour.create("inputs", inputsName, model, options.featureNames));
  if (existing.outputs) plan.present.push(`${existing.outputs} (outputs collector)`);
  else creations.push(flavour.create("outputs", outputsName, model, options.predictionNames));
  planInit(source, plan, run, [inputsName, outputsName], creations);

  // 3. run(): collect the input once prepared and the prediction before it is returned.
  planRun(source, plan, run, options.sdk, { inputsName, outputsName, pd });
  return plan;
}

function insertImports(source: PythonSource, plan: CollectorPlan, lines: string[]): void {
  const nl = source.newline;
  const at = source.importAnchor;
  const block = lines.join(nl);
  if (at === 0) plan.insertions.push({ offset: 0, text: `${block}${nl}` });
  else plan.insertions.push({ offset: lineEnd(source.text, at - 1), text: `${block}${nl}` });
}

function planInit(source: PythonSource, plan: CollectorPlan, run: FunctionInfo, names: string[], creations: string[]): void {
  const nl = source.newline;
  const init = source.init;
  if (!init) {
    const ind = lineIndent(source.text, run.start) + source.indentUnit;
    const body = [`global ${names.join(", ")}`, ...creations].map((l) => `${ind}${l}${nl}`).join("");
    plan.insertions.push({ offset: lineStart(source.text, run.start), text: `def init():${nl}${body}${nl}${nl}` });
    plan.added.push("init() with the collectors");
    return;
  }
  const statements = init.statements;
  const code = statements.filter((s, i) => !(i === 0 && isDocstring(s)));
  const indent = lineIndent(source.text, (code[0] ?? statements[0] ?? init.body).from) || lineIndent(source.text, init.node.from) + source.indentUnit;
  const globalStatement = code.find((s) => s.name === "ScopeStatement" && textOf(source, s).startsWith("global"));
  const declared = globalStatement ? new Set(descendants(globalStatement, "VariableName").map((v) => textOf(source, v))) : new Set<string>();
  const missing = names.filter((n) => !declared.has(n));
  if (missing.length === 0) plan.present.push("the global statement");
  else if (globalStatement) {
    plan.insertions.push({ offset: globalStatement.to, text: `, ${missing.join(", ")}` });
    plan.added.push(`${missing.join(", ")} to the global statement`);
  } else {
    const before = code[0];
    const offset = before ? lineStart(source.text, before.from) : lineEnd(source.text, (statements[statements.length - 1] ?? init.body).to - 1);
    plan.insertions.push({ offset, text: `${indent}global ${missing.join(", ")}${nl}` });
    plan.added.push("a global statement in init()");
  }
  if (creations.length > 0) {
    const last = statements[statements.length - 1];
    const offset = last ? lineEnd(source.text, last.to - 1) : lineEnd(source.text, init.body.from);
    plan.insertions.push({ offset, text: creations.map((c) => `${indent}${c}${nl}`).join("") });
    plan.added.push(`the collectors in init() (${creations.length})`);
  }
}

interface RunNames {
  inputsName: string;
  outputsName: string;
  pd: string;
}

function planRun(source: PythonSource, plan: CollectorPlan, run: FunctionInfo, sdk: CollectorSdk, names: RunNames): void {
  const nl = source.newline;
  const runText = textOf(source, run.body);
  const prediction = findPrediction(source, run);
  const hasCollect = (name: string) => new RegExp(`\\b${name}\\.collect\\(`).test(runText);
  const firstCode = run.statements.find((s, i) => !(i === 0 && isDocstring(s)));
  const before = (node: SyntaxNode, line: string) => ({ offset: lineStart(source.text, node.from), text: `${lineIndent(source.text, node.from)}${line}${nl}` });
  const wrap = (expr: string, node: string | undefined) => (sdk === "current" && !isDataFrame(source, run, node) ? `${names.pd}.DataFrame(${expr})` : expr);
  const contextName = sdk === "current" ? existingContext(runText, names.inputsName) ?? freeName("context", source.names) : undefined;

  if (hasCollect(names.inputsName)) plan.present.push(`${names.inputsName}.collect(...) in run()`);
  else {
    const input = prediction?.input ?? run.params[0];
    const anchor = prediction?.statement ?? firstCode;
    if (!input || !anchor) plan.problems.push("Could not tell what run() receives; add the inputs collect() call yourself.");
    else {
      const call = `${names.inputsName}.collect(${wrap(input, input)})`;
      plan.insertions.push(before(anchor, sdk === "current" ? `${contextName} = ${call}` : call));
      plan.added.push(`${names.inputsName}.collect(${input}) in run()`);
    }
  }

  if (hasCollect(names.outputsName)) {
    plan.present.push(`${names.outputsName}.collect(...) in run()`);
    return;
  }
  const result = prediction?.result ?? returnedName(source, run);
  if (!result) {
    plan.problems.push(prediction?.inReturn
      ? "run() returns the prediction directly; assign it to a variable (result = model.predict(...)) and run this command again to collect predictions."
      : "Could not find the prediction in run(); add the predictions collect() call yourself.");
    return;
  }
  const call = `${names.outputsName}.collect(${wrap(result, result)}${sdk === "current" ? `, ${contextName}` : ""})`;
  const returns = descendants(run.body, "ReturnStatement").filter((r) => new RegExp(`\\b${escape(result)}\\b`).test(textOf(source, r)) && (!prediction || r.from > prediction.statement.to));
  if (returns.length > 0) for (const r of returns) plan.insertions.push(before(r, call));
  else if (prediction) plan.insertions.push({ offset: lineEnd(source.text, prediction.statement.to - 1), text: `${lineIndent(source.text, prediction.statement.from)}${call}${nl}` });
  plan.added.push(`${names.outputsName}.collect(${result}) in run()${returns.length > 1 ? ` before each of ${returns.length} returns` : ""}`);
}

interface Prediction {
  statement: SyntaxNode;
  input?: string;
  result?: string;
  inReturn: boolean;
}

/** The first model call in run(), the statement holding it, what it is given and what it is stored in. */
function findPrediction(source: PythonSource, run: FunctionInfo): Prediction | undefined {
  const call = descendants(run.body, "CallExpression").find((c) => c.firstChild && PREDICT_CALL.test(textOf(source, c.firstChild)));
  if (!call) return undefined;
  let statement: SyntaxNode = call;
  while (statement.parent && statement.parent.name !== "Body") statement = statement.parent;
  const args = call.getChild("ArgList");
  const firstArg = args ? children(args).find((c) => !["(", ")", ","].includes(c.name)) : undefined;
  const input = firstArg && /^(VariableName|MemberExpression|SubscriptExpression)$/.test(firstArg.name) ? textOf(source, firstArg) : undefined;
  const target = statement.name === "AssignStatement" ? statement.firstChild : undefined;
  return {
    statement, input: input ?? run.params[0],
    result: target?.name === "VariableName" ? textOf(source, target) : undefined,
    inReturn: statement.name === "ReturnStatement",
  };
}

function returnedName(source: PythonSource, run: FunctionInfo): string | undefined {
  for (const r of descendants(run.body, "ReturnStatement")) {
    const value = children(r).find((c) => c.name !== "return");
    if (value?.name === "VariableName") return textOf(source, value);
  }
  return undefined;
}

function findCollector(source: PythonSource, pattern: RegExp): string | undefined {
  const assignments = [...descendants(source.top, "AssignStatement"), ...(source.init ? descendants(source.init.body, "AssignStatement") : [])];
  for (const a of assignments) {
    if (pattern.test(textOf(source, a)) && a.firstChild?.name === "VariableName") return textOf(source, a.firstChild);
  }
  return undefined;
}

function pandasName(source: PythonSource): string | undefined {
  for (const i of source.imports) {
    const m = /^import\s+pandas(?:\s+as\s+(\w+))?\s*$/m.exec(textOf(source, i));
    if (m) return m[1] ?? "pandas";
  }
  return undefined;
}

/** Whether `name` already holds a DataFrame in run(): a DataFrame type hint or made by pandas. */
function isDataFrame(source: PythonSource, run: FunctionInfo, name: string | undefined): boolean {
  if (!name) return false;
  if (/DataFrame/.test(run.paramTypes.get(name) ?? "")) return true;
  return descendants(run.body, "AssignStatement").some((a) => a.firstChild && textOf(source, a.firstChild) === name && DATAFRAME_MAKERS.test(textOf(source, a)));
}

function existingContext(runText: string, inputsName: string): string | undefined {
  return new RegExp(`(\\w+)\\s*=\\s*${inputsName}\\.collect\\(`).exec(runText)?.[1];
}

function isDocstring(node: SyntaxNode): boolean {
  return node.name === "ExpressionStatement" && node.firstChild?.name === "String";
}

function freeName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 1; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Applies insertions (for tests and previews); the editor applies the same ones as one WorkspaceEdit. */
export function applyInsertions(text: string, insertions: readonly Insertion[]): string {
  const sorted = insertions.map((ins, i) => ({ ...ins, i })).sort((a, b) => a.offset - b.offset || a.i - b.i);
  let out = "";
  let at = 0;
  for (const ins of sorted) {
    out += text.slice(at, ins.offset) + ins.text;
    at = ins.offset;
  }
  return out + text.slice(at);
}
