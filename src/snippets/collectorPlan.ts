// Plans adding model data collection to a scoring file. Every original line stays, in order; the only lines
// that change are a `global` statement the collectors join and, when the prediction is only returned inline,
// the line whose model call is taken out into a variable. Collect calls go where their values exist: after
// the request is parsed, never in an `except`/`finally` block, never on request or response objects. Pure.
import type { SyntaxNode } from "@lezer/common";
import { readCollectorFacts, type CollectorFacts } from "./collectorFacts";
import { analyseCollectors } from "./collectorAnalysis";
import { callArguments, children, descendants, inErrorPath, lineEnd, lineIndent, lineStart, pandasName, readPython, sameNode, startsLine, statementOf, textOf, type FunctionInfo, type PythonSource } from "./pythonSource";
import type { Insertion } from "./textEdits";
import { FRAME_HELPER, frameHelper, MAKES_DATA_FRAME } from "./frameHelper";
import { importInsertion, initEdits } from "./initEdits";

export { applyInsertions, type Insertion } from "./textEdits";
import { FLAVOURS, OTHER_SDK, type CollectorRole, type CollectorSdk } from "./sdkFlavours";

export interface CollectorOptions {
  sdk: CollectorSdk;
  modelName?: string;
  featureNames?: string[];
  predictionNames?: string[];
  /** Add this SDK's collectors even though the file uses the other SDK (the caller asked the user). */
  allowMixedSdks?: boolean;
}

export interface CollectorPlan {
  insertions: Insertion[];
  /** What this plan adds, in words. */
  added: string[];
  /** What the file already had. */
  present: string[];
  /** Why something could not be added (the rest still is). */
  problems: string[];
  /** Set when the file already uses the other SDK and mixing was not allowed: nothing is planned. */
  mixedWith?: CollectorSdk;
}

const PREDICT_CALL = /(^|\.)(predict|predict_proba|predict_log_proba|decision_function|score_samples|forward|generate|infer|run)$|(^|\.)model$/i;
const PARSERS = /\b(json\.loads|json\.load|loads|np\.(array|asarray)|numpy\.(array|asarray)|pd\.|pandas\.|DataFrame|json_normalize|torch\.tensor|tf\.constant)\s*\(/;
const LITERALS = new Set(["None", "Number", "String", "Boolean", "Ellipsis"]);
const SCOPES = /^(ArrayComprehensionExpression|DictionaryComprehensionExpression|SetComprehensionExpression|ComprehensionExpression|LambdaExpression)$/;
const SCHEMA_DECORATOR = /^@\s*(input_schema|schema_decorators\.input_schema)\b/;
const REQUEST_TYPES = /\b(AMLRequest|Request)\b/;
const RESPONSE_MAKERS = /^(AMLResponse|Response|make_response|jsonify)$|\.(AMLResponse|Response)$/;
/** Calls that are never the model (so a plain function run() hands its data to can be). */
const NOT_MODEL_FUNCTIONS = /^(json|np|numpy|pd|pandas|logging|logger|log|time|datetime|os|sys|io|base64|math|re|Image|cv2|torch|tf|traceback)\.|^(print|len|list|dict|str|int|float|bool|round|sorted|isinstance|type|range|enumerate|zip|map|filter|sum|min|max|abs|any|all|super|getattr|setattr|hasattr|open|tuple|set|iter|next|repr|format)$/;
const NOT_MODEL_METHODS = /\.(tolist|to_dict|to_json|to_numpy|convert|read|decode|encode|get|items|keys|values|append|extend|format|join|split|strip|reshape|astype|copy|info|debug|warning|error|exception|resize|unsqueeze|squeeze|numpy|cpu|detach|item|update|pop)$/;
/** Where a value comes from when it is a file or image, not a table (inputs are then not collected). */
const NOT_TABULAR = /\.files\b|\bImage\.open\b|\bBytesIO\b|\bb64decode\b|\bimdecode\b|\.read\(\)|\bdecode_image\b|\bload_img\b|\bsoundfile\b|\blibrosa\b|\btransforms\./;

export function planCollector(text: string, options: CollectorOptions): CollectorPlan {
  const source = readPython(text);
  const plan: CollectorPlan = { insertions: [], added: [], present: [], problems: [] };
  const run = source.run;
  if (!run) {
    plan.problems.push("No top-level run() function found: Azure ML calls run(data) for every request. Add it, then run this command again.");
    return plan;
  }
  const facts = readCollectorFacts(source, run, options.sdk);
  if (facts.usesOtherSdk && !options.allowMixedSdks) {
    plan.mixedWith = OTHER_SDK[options.sdk];
    plan.problems.push(`This file already uses ${FLAVOURS[plan.mixedWith].label}; adding ${FLAVOURS[options.sdk].label} would collect for a different kind of service. Nothing was added.`);
    return plan;
  }
  if (source.hasSyntaxErrors) plan.problems.push("The file has syntax errors; check the inserted code after fixing them.");
  if (facts.usesIdentifierKeyword) {
    // The file cannot run with it: the keyword is fixed in the same edit, as the analysis's Quick Fix does.
    const renames = analyseCollectors(text).findings.filter((f) => f.id === "identifierKeyword").flatMap((f) => f.fix?.edits ?? []);
    plan.insertions.push(...renames);
    plan.added.push(`designation= for identifier= (${renames.length}×): the released azureml-monitoring raises TypeError on the 2018 preview's keyword`);
  }
  const flavour = FLAVOURS[options.sdk];
  const scene = readRun(source, run);
  const names = collectorNames(source, facts, scene, options.sdk);

  // 1. The import, after the file's last top-level import (or the docstring and __future__ imports).
  const imports: string[] = [];
  if (facts.hasImport) plan.present.push("the collector import");
  else imports.push(flavour.importLine);
  const pandasAlias = options.sdk === "current" ? pandasName(source) : undefined;
  const pd = pandasAlias ?? "pd";

  // 2. run(): what is collected and where; decided before init() so unused collectors are not created.
  const runPlan = planRun(source, run, scene, facts, options.sdk, names, options.sdk === "current" ? options.featureNames : undefined);
  if (options.sdk === "current" && !pandasAlias && runPlan.usesPandas) imports.push("import pandas as pd");
  if (imports.length > 0 && (runPlan.uses.inputs || runPlan.uses.outputs)) {
    plan.insertions.push(importInsertion(source, imports.join(source.newline)));
    plan.added.push(...imports.map((i) => `\`${i}\``));
  }
  if (runPlan.usesPandas && !source.names.has(FRAME_HELPER)) {
    plan.insertions.push(importInsertion(source, frameHelper(pd, source)));
    plan.added.push(`${FRAME_HELPER}(), so a value that is not a table never fails a request`);
  }

  // 3. init(): the collectors run() uses, under the names it uses, declared global.
  const model = options.modelName?.trim() || "model";
  const creations: string[] = [];
  const globals: string[] = [];
  for (const role of ["inputs", "outputs"] as const) {
    const made = facts.created[role];
    if (made) {
      plan.present.push(`${made.name} (${role} collector)`);
      if (made.inInit) globals.push(made.name);
    } else if (runPlan.uses[role]) {
      creations.push(flavour.create(role, names[role], model, role === "inputs" ? options.featureNames : options.predictionNames));
      globals.push(names[role]);
    }
  }
  planInit(plan, source, run, globals, creations);
  plan.insertions.push(...runPlan.insertions);
  plan.added.push(...runPlan.added);
  plan.present.push(...runPlan.present);
  plan.problems.push(...runPlan.problems);
  return plan;
}

// ---- run() -------------------------------------------------------------------------------------------------

interface RunScene {
  /** The first model call outside error paths, the statement holding it and what it is given. */
  prediction?: { call: SyntaxNode; statement: SyntaxNode; input?: SyntaxNode; target?: string; movable: boolean };
  /** A `@rawhttp` function: its parameter is an AMLRequest, never data. */
  rawRequest: boolean;
  /** The parameter is already parsed data (inference-schema decorators or a data type hint). */
  parsedParam: boolean;
  /** Names holding request or response objects. */
  objects: Set<string>;
}

function readRun(source: PythonSource, run: FunctionInfo): RunScene {
  const decorators = run.node.parent?.name === "DecoratedStatement" ? run.node.parent.getChildren("Decorator").map((d) => textOf(source, d).trim()) : [];
  const param = run.params[0];
  const hint = param ? run.paramTypes.get(param) ?? "" : "";
  const rawRequest = decorators.some((d) => /^@\s*(\w+\.)*rawhttp\b/.test(d)) || REQUEST_TYPES.test(hint);
  const objects = new Set<string>(rawRequest && param ? [param] : []);
  for (const a of descendants(run.body, "AssignStatement")) {
    const value = a.lastChild;
    if (a.firstChild?.name === "VariableName" && value?.name === "CallExpression" && value.firstChild && RESPONSE_MAKERS.test(textOf(source, value.firstChild))) objects.add(textOf(source, a.firstChild));
  }
  const call = descendants(run.body, "CallExpression").find((c) => c.firstChild && PREDICT_CALL.test(textOf(source, c.firstChild)) && !inErrorPath(c, run.body))
    ?? plainModelCall(source, run);
  let prediction: RunScene["prediction"];
  if (call) {
    const statement = statementOf(call);
    const first = callArguments(source, call).positional[0];
    const input = first && !LITERALS.has(first.name) ? first : undefined;
    // The assignment's variable is the prediction when it holds the call itself, a DataFrame made from it, or
    // (inside a comprehension, where the call cannot be taken out) the whole result.
    const value = statement.name === "AssignStatement" ? statement.lastChild : null;
    const nested = inComprehension(call, statement);
    // `await model.predict(x)`: the awaited value is the prediction, so the await moves with the call.
    const expr = call.parent?.name === "AwaitExpression" ? call.parent : call;
    const holds = value && (chainsFrom(expr, value) || MAKES_DATA_FRAME.test(textOf(source, value)) || nested);
    const target = holds && statement.firstChild?.name === "VariableName" ? textOf(source, statement.firstChild) : undefined;
    prediction = { call: expr, statement, input, target, movable: !nested };
  }
  return { prediction, rawRequest, objects, parsedParam: !rawRequest && (decorators.some((d) => SCHEMA_DECORATOR.test(d)) || (hint !== "" && !/^(str|bytes|Any)$/.test(hint))) };
}

/**
 * With no call named like a model's: the model is a plain function or another object's method
 * (`process_and_score(image)`, an R bridge's `r_predict(frame)`) when run() returns what it gives back,
 * directly or inside its response.
 */
function plainModelCall(source: PythonSource, run: FunctionInfo): SyntaxNode | undefined {
  const returns = descendants(run.body, "ReturnStatement").filter((r) => !inErrorPath(r, run.body));
  const returned = (name: string) => returns.some((r) => new RegExp(`(^|[^\\w.])${escape(name)}\\b`).test(textOf(source, r)));
  for (const call of descendants(run.body, "CallExpression")) {
    const callee = call.firstChild ? textOf(source, call.firstChild) : "";
    if (!callee || inErrorPath(call, run.body) || NOT_MODEL_FUNCTIONS.test(callee) || NOT_MODEL_METHODS.test(callee) || RESPONSE_MAKERS.test(callee)) continue;
    if (callArguments(source, call).positional.length === 0) continue;
    const statement = statementOf(call);
    const value = statement.lastChild;
    if (!value || !sameNode(value, call)) continue;
    if (statement.name === "ReturnStatement") return call;
    if (statement.name === "AssignStatement" && statement.firstChild?.name === "VariableName" && returned(textOf(source, statement.firstChild))) return call;
  }
  return undefined;
}

/** Whether `expr` (or what it was made from in run()) is a file or an image rather than a table. */
function notTabular(source: PythonSource, run: FunctionInfo, expr: string): boolean {
  if (NOT_TABULAR.test(expr)) return true;
  const seen = new Set<string>();
  const origins = (name: string, depth: number): string[] => {
    if (depth > 3 || seen.has(name)) return [];
    seen.add(name);
    const texts = descendants(run.body, "AssignStatement").filter((a) => a.firstChild?.name === "VariableName" && textOf(source, a.firstChild) === name).map((a) => textOf(source, a));
    const used = texts.flatMap((t) => t.match(/[A-Za-z_]\w*/g) ?? []).filter((n) => n !== name);
    return [...texts, ...used.flatMap((n) => origins(n, depth + 1))];
  };
  return /^[A-Za-z_]\w*$/.test(expr) && origins(expr, 0).some((t) => NOT_TABULAR.test(t));
}

interface RunPlan {
  insertions: Insertion[];
  added: string[];
  present: string[];
  problems: string[];
  /** Which collectors run() collects with (existing calls or planned ones). */
  uses: Record<CollectorRole, boolean>;
  usesPandas: boolean;
}

function planRun(source: PythonSource, run: FunctionInfo, scene: RunScene, facts: CollectorFacts, sdk: CollectorSdk, names: Record<CollectorRole, string>, inputColumns?: string[]): RunPlan {
  const out: RunPlan = { insertions: [], added: [], present: [], problems: [], uses: { inputs: false, outputs: false }, usesPandas: false };
  const nl = source.newline;
  const existing = (role: CollectorRole) => facts.collects.find((c) => c.name === names[role]);
  const lineAbove = (node: SyntaxNode, line: string): Insertion => ({ offset: lineStart(source.text, node.from), text: `${lineIndent(source.text, node.from)}${line}${nl}` });
  const wrap = (expr: string, columns?: string[]) => {
    if (sdk !== "current" || isDataFrame(source, run, expr)) return expr;
    out.usesPandas = true;
    // The service's own column names (from its collected data), so rows keep them.
    return columns && columns.length > 0 ? `${FRAME_HELPER}(${expr}, columns=${JSON.stringify(columns).replace(/","/g, '", "')})` : `${FRAME_HELPER}(${expr})`;
  };
  const prediction = scene.prediction;
  const canAnchor = (node: SyntaxNode) => {
    if (startsLine(source.text, node)) return true;
    out.problems.push(`Line ${lineOf(source.text, node.from)} holds more than one statement; add the collect() call there yourself.`);
    return false;
  };

  // The prediction, taken out of an inline return so it can be collected (the one line that changes).
  let result = prediction?.target;
  let hoisted: Insertion[] = [];
  if (prediction && !result && prediction.movable && !existing("outputs") && canAnchor(prediction.statement)) {
    result = freeName("prediction", source.names);
    hoisted = [
      lineAbove(prediction.statement, `${result} = ${textOf(source, prediction.call)}`),
      { offset: prediction.call.from, text: result, replace: prediction.call.to - prediction.call.from },
    ];
    out.added.push(`\`${result} = ${textOf(source, prediction.call)}\` on its own line, so the prediction can be collected`);
  }

  // Inputs: the value the model is given, once it exists (after the request is parsed).
  let context: string | undefined;
  const inputsCall = existing("inputs");
  if (inputsCall) {
    out.uses.inputs = true;
    context = inputsCall.assignedTo;
    out.present.push(`${names.inputs}.collect(...) in run()`);
  } else {
    const input = inputToCollect(source, run, scene);
    if ("why" in input) out.problems.push(input.why);
    else if (canAnchor(input.anchor)) {
      const call = `${names.inputs}.collect(${wrap(input.expr, inputColumns)})`;
      if (sdk === "current") context = freeName("context", source.names);
      const insertion = input.after
        ? { offset: lineEnd(source.text, input.anchor.to - 1), text: `${lineIndent(source.text, input.anchor.from)}${context ? `${context} = ` : ""}${call}${nl}` }
        : lineAbove(input.anchor, `${context ? `${context} = ` : ""}${call}`);
      out.insertions.push(insertion);
      out.uses.inputs = true;
      out.added.push(`${names.inputs}.collect(${input.expr}) in run()`);
    }
  }
  out.insertions.push(...hoisted);

  // Outputs: the prediction, before each (non-error) return that hands it back, or right after it is made.
  if (existing("outputs")) {
    out.uses.outputs = true;
    out.present.push(`${names.outputs}.collect(...) in run()`);
    return out;
  }
  const output = result && prediction ? { expr: result, after: prediction.statement } : returnedValue(source, run, scene);
  if (!output) {
    out.problems.push(prediction
      ? "Could not find the prediction in a variable run() keeps; no outputs collector was added. Store the model's output in a variable and run this command again."
      : "run() calls no model that could be recognised and returns no plain variable; no outputs collector was added. Collect the prediction yourself where it is made.");
    return out;
  }
  const collect = `${names.outputs}.collect(${wrap(output.expr)}${sdk === "current" && context ? `, ${context}` : ""})`;
  const mentions = new RegExp(`(^|[^\\w.])${escape(output.expr)}\\b`);
  const returns = descendants(run.body, "ReturnStatement").filter((r) => mentions.test(textOf(source, r)) && !inErrorPath(r, run.body) && (!output.after || r.from > output.after.to));
  if (hoisted.length > 0 && prediction) out.insertions.push(lineAbove(prediction.statement, collect));
  else if (returns.length > 0) {
    const anchored = returns.filter(canAnchor);
    for (const r of anchored) out.insertions.push(lineAbove(r, collect));
    if (anchored.length === 0) return out;
  } else if (output.after) out.insertions.push({ offset: lineEnd(source.text, output.after.to - 1), text: `${lineIndent(source.text, output.after.from)}${collect}${nl}` });
  else return out;
  out.uses.outputs = true;
  out.added.push(`${names.outputs}.collect(${output.expr}) in run()${returns.length > 1 ? ` before each of ${returns.length} returns` : ""}`);
  return out;
}

type InputChoice = { expr: string; anchor: SyntaxNode; after: boolean } | { why: string };

/** What the inputs collector should get: the model's argument, else the parsed request, else the parameter when it is data. */
function inputToCollect(source: PythonSource, run: FunctionInfo, scene: RunScene): InputChoice {
  const param = run.params[0];
  const prediction = scene.prediction;
  if (prediction?.input && prediction.movable) {
    const expr = textOf(source, prediction.input);
    if (scene.objects.has(expr)) return { why: `The model is given the request object itself (${expr}); collect the decoded payload yourself.` };
    if (notTabular(source, run, expr)) return { why: `The model is given a file or image decoded from the request (${expr}), not a table: its inputs are not collected (a data collector logs tables). Its prediction is.` };
    return { expr, anchor: aboveBranches(source, run, prediction.statement, prediction.input), after: false };
  }
  const parsed = parsedValue(source, run, scene, prediction?.statement.from ?? run.body.to);
  if (parsed) return { expr: parsed.name, anchor: parsed.statement, after: true };
  if (param && scene.parsedParam) {
    const first = run.statements.find((s, i) => !(i === 0 && isDocstring(s)));
    if (first) return { expr: param, anchor: first, after: false };
  }
  if (scene.rawRequest) return { why: "run() takes the raw HTTP request (@rawhttp) and the file decodes no payload from it that could be recognised; no inputs collect() was added. Collect the decoded data yourself (never the request object)." };
  return { why: `run() gets the raw request body${param ? ` (${param})` : ""} and no parsed value reaching a model could be recognised; no inputs collect() was added. Collect the parsed data yourself, after it is parsed.` };
}

/**
 * The model may be called in one branch of several (`if method == "predict_proba": … elif …: …`): the input is
 * collected above the if-statement, once for every branch, when everything it names exists there already.
 */
function aboveBranches(source: PythonSource, run: FunctionInfo, statement: SyntaxNode, input: SyntaxNode): SyntaxNode {
  const names = [input, ...descendants(input, "VariableName")].filter((n) => n.name === "VariableName").map((n) => textOf(source, n));
  const assigned = descendants(run.body, "AssignStatement").filter((a) => a.firstChild?.name === "VariableName");
  const assignments = (name: string) => assigned.filter((a) => textOf(source, a.firstChild!) === name);
  // A parameter, a name run() assigns before `at`, or one it never assigns (module level, builtins).
  const existsBefore = (name: string, at: number) => run.params.includes(name) || assignments(name).length === 0
    || assignments(name).some((a) => a.to <= at && !inErrorPath(a, run.body));
  let anchor = statement;
  for (;;) {
    const branch = anchor.parent?.name === "Body" ? anchor.parent.parent : null;
    if (branch?.name !== "IfStatement" || !startsLine(source.text, branch) || !names.every((n) => existsBefore(n, branch.from))) return anchor;
    anchor = branch;
  }
}

/** The last assignment before `before`, outside error paths, that parses data (json.loads, np.array, DataFrame…). */
function parsedValue(source: PythonSource, run: FunctionInfo, scene: RunScene, before: number): { name: string; statement: SyntaxNode } | undefined {
  let found: { name: string; statement: SyntaxNode } | undefined;
  for (const a of descendants(run.body, "AssignStatement")) {
    if (a.from >= before || inErrorPath(a, run.body) || a.firstChild?.name !== "VariableName") continue;
    const name = textOf(source, a.firstChild);
    if (scene.objects.has(name) || !PARSERS.test(textOf(source, a).slice(a.firstChild.to - a.from))) continue;
    found = { name, statement: statementOf(a) };
  }
  return found;
}

/** With no recognisable model call: the plain variable run() returns (not a request or response object). */
function returnedValue(source: PythonSource, run: FunctionInfo, scene: RunScene): { expr: string; after?: SyntaxNode } | undefined {
  for (const r of descendants(run.body, "ReturnStatement")) {
    if (inErrorPath(r, run.body)) continue;
    const value = children(r).find((c) => c.name !== "return");
    if (value?.name === "VariableName" && !scene.objects.has(textOf(source, value))) return { expr: textOf(source, value) };
  }
  return undefined;
}

/** Collector names: what the file already creates, else what run() already collects with, else new names. */
function collectorNames(source: PythonSource, facts: CollectorFacts, scene: RunScene, sdk: CollectorSdk): Record<CollectorRole, string> {
  const flavour = FLAVOURS[sdk];
  const created = new Set(Object.values(facts.created).map((c) => c.name));
  // collect() calls on names nothing creates are this SDK's half-done instrumentation, unless the file uses the other SDK.
  const orphans = facts.usesOtherSdk ? [] : facts.collects.filter((c) => !created.has(c.name));
  const predictionAt = scene.prediction?.statement.from;
  const looksInputs = (c: (typeof orphans)[number]) => sdk === "current"
    ? c.assignedTo !== undefined || (c.argCount === 1 && /input/i.test(c.name))
    : /input/i.test(c.name) || (predictionAt !== undefined && c.call.from < predictionAt && !/pred|output|result/i.test(c.name));
  const inputs = facts.created.inputs?.name ?? orphans.find(looksInputs)?.name;
  const outputs = facts.created.outputs?.name ?? orphans.find((c) => c.name !== inputs && !looksInputs(c))?.name;
  const taken = new Set(source.names);
  return {
    inputs: inputs ?? freeName(flavour.defaultNames.inputs, taken),
    outputs: outputs ?? freeName(flavour.defaultNames.outputs, taken),
  };
}

// ---- imports and init() ------------------------------------------------------------------------------------

function planInit(plan: CollectorPlan, source: PythonSource, run: FunctionInfo, names: string[], creations: string[]): void {
  if (names.length === 0 && creations.length === 0) return;
  const edits = initEdits(source, run, names, creations);
  plan.insertions.push(...edits.insertions);
  if (edits.newInit) {
    plan.added.push("init() with the collectors");
    return;
  }
  if (edits.declaredBy === "appended") plan.added.push(`${edits.declared.join(", ")} to the global statement`);
  else if (edits.declaredBy === "statement") plan.added.push("a global statement in init()");
  else plan.present.push("the global statement");
  if (creations.length > 0) plan.added.push(`the collectors in init() (${creations.length})`);
}

// ---- helpers -----------------------------------------------------------------------------------------------

/** Whether `name` already holds a DataFrame in run(): a DataFrame type hint or made by pandas. */
function isDataFrame(source: PythonSource, run: FunctionInfo, name: string): boolean {
  if (/DataFrame/.test(run.paramTypes.get(name) ?? "")) return true;
  return descendants(run.body, "AssignStatement").some((a) => a.firstChild && textOf(source, a.firstChild) === name && MAKES_DATA_FRAME.test(textOf(source, a)));
}

/** Whether `value` is `call` itself or reads from it (`model.predict(x)[:, 1]`, `.tolist()`, `await …`): still the prediction. */
function chainsFrom(call: SyntaxNode, value: SyntaxNode): boolean {
  let n = call;
  while (!sameNode(n, value)) {
    const parent = n.parent;
    if (!parent || !/^(MemberExpression|SubscriptExpression|CallExpression)$/.test(parent.name) || parent.firstChild?.from !== n.from || parent.firstChild.to !== n.to) return false;
    n = parent;
  }
  return true;
}

/** Whether `node` sits in a comprehension or lambda inside `statement` (its names do not exist outside). */
function inComprehension(node: SyntaxNode, statement: SyntaxNode): boolean {
  for (let n = node.parent; n && !sameNode(n, statement); n = n.parent) if (SCOPES.test(n.name)) return true;
  return false;
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

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line += 1;
  return line;
}
