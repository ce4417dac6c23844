// The one analysis of a scoring file's data collection that the editor's diagnostics, the collection check
// and the insertion planner share. It reports facts (which collectors are made, where, on which paths of
// init(); what run() collects) and the problems they imply, each with its place in the file and, where an
// edit fixes it, that edit. Pure: text in, findings out.
import type { SyntaxNode } from "@lezer/common";
import { callArguments, children, descendants, inErrorPath, lineEnd, lineIndent, lineStart, pandasName, readPython, startsLine, statementOf, textOf, type FunctionInfo, type PythonSource } from "./pythonSource";
import { FLAVOURS, pythonString, type CollectorSdk } from "./sdkFlavours";
import { collectCallsIn } from "./collectorFacts";
import { FRAME_HELPER, frameHelper, MAKES_DATA_FRAME } from "./frameHelper";
import { importInsertion, initEdits } from "./initEdits";
import { applyInsertions, type Insertion } from "./textEdits";

export type FindingId =
  | "identifierKeyword" | "collectorNotGlobal" | "collectorNotOnEveryPath" | "collectorUndefined" | "collectionNameMismatch"
  | "collectionNotCreated" | "notCollected" | "collectInExcept" | "rawRequestCollected" | "notDataFrame" | "featureNamesLength";

export interface CollectorFinding {
  id: FindingId;
  /** problem: no data (or a failing service); warning: data, but not what was meant. */
  severity: "problem" | "warning";
  message: string;
  from: number;
  to: number;
  fix?: { title: string; edits: Insertion[] };
}

export interface CollectorMade {
  variable?: string;
  /** The collection (current SDK) or designation (legacy) it writes to, when written as a string. */
  collection?: string;
  where: "module" | "init" | "elsewhere";
  /** Made whichever way init() goes (always true at module level). */
  everyPath: boolean;
  /** Declared global in init() (or made at module level), so run() sees it. */
  visible: boolean;
  featureNames?: number;
  call: { from: number; to: number };
  /** Where the collection's name is written (its string, quotes included). */
  collectionAt?: { from: number; to: number };
}

export interface CollectorAnalysis {
  sdk?: CollectorSdk;
  collectors: CollectorMade[];
  /** The collectors run() calls collect() on, by variable. */
  collected: string[];
  findings: CollectorFinding[];
}

export interface AnalysisContext {
  /** The collections the deployment has on (current SDK): its collectors must use these names. */
  collectionsOn?: string[];
  /** Data columns seen in storage per designation (legacy), system columns left out. */
  storedColumns?: Record<string, number>;
}

const STANDARD_COLLECTIONS = ["model_inputs", "model_outputs"];
const NOT_A_FRAME = /^(json\.loads|json\.load|loads|np\.(array|asarray)|numpy\.(array|asarray)|list|dict)\s*\(|\.(predict|predict_proba|tolist|to_dict|to_numpy|values)\b/;

export function analyseCollectors(text: string, context: AnalysisContext = {}): CollectorAnalysis {
  const source = readPython(text);
  const sdk = sdkOf(source);
  if (!sdk) return { collectors: [], collected: [], findings: [] };
  const findings: CollectorFinding[] = [];
  const collectors = madeCollectors(source, sdk, findings);
  const run = source.run;
  const calls = run ? collectCallsIn(source, run) : [];
  const collected = [...new Set(calls.map((c) => c.name))];
  const byVariable = new Map(collectors.filter((c) => c.variable).map((c) => [c.variable as string, c]));

  for (const made of collectors) {
    const name = made.variable;
    if (!name || made.where === "elsewhere") continue;
    const used = collected.includes(name);
    if (used && made.where === "init" && !made.visible) {
      findings.push({ id: "collectorNotGlobal", severity: "problem", ...made.call,
        message: `${name} is made in init() but not declared global there, so run() raises NameError: name '${name}' is not defined, and nothing is collected.`,
        fix: globalFix(source, name) });
    }
    if (used && !made.everyPath) {
      findings.push({ id: "collectorNotOnEveryPath", severity: "problem", ...made.call,
        message: `${name} is made on only some paths through init() (inside a branch, or after a return): when init() takes another, run() raises NameError: name '${name}' is not defined. Make it first thing in init().` });
    }
    if (!used && run) {
      const on = sdk === "current" && made.collection && context.collectionsOn?.includes(made.collection);
      findings.push({ id: "notCollected", severity: on ? "problem" : "warning", ...made.call,
        message: `${name} is made but run() never calls ${name}.collect(…), so ${made.collection ? `"${made.collection}"` : "its collection"} gets no data.` });
    }
  }
  if (sdk === "current") findings.push(...collectionNames(collectors, context));
  if (sdk === "legacy") findings.push(...featureNameCounts(collectors, context));

  for (const call of calls) {
    if (!byVariable.has(call.name) && !assignedAtModule(source, call.name)) {
      findings.push({ id: "collectorUndefined", severity: "problem", from: call.call.from, to: call.call.to,
        message: `Nothing makes ${call.name} (not at module level, not in init()): run() raises NameError: name '${call.name}' is not defined at the first request.`,
        fix: createFix(source, sdk, call.name) });
    }
    if (run && inErrorPath(call.call, run.body)) {
      findings.push({ id: "collectInExcept", severity: "warning", from: call.call.from, to: call.call.to,
        message: `${call.name}.collect(…) is in an except/finally block: data is collected only when the request fails.`, fix: outOfExceptFix(source, call.call) });
    }
    const argument = call.argument;
    if (!argument || !run) continue;
    const value = textOf(source, argument);
    const raw = run.params[0] === value && takesRawBody(source, run);
    if (raw) {
      findings.push({ id: "rawRequestCollected", severity: "warning", from: argument.from, to: argument.to,
        message: `${call.name}.collect(${value}) collects the raw request body before it is parsed: ${sdk === "current" ? "a string, which the collector does not log (it takes a pandas DataFrame)" : "one text cell per request instead of its columns"}. Collect the parsed data.` });
    } else if (sdk === "current" && !isFrame(source, run, argument)) {
      findings.push({ id: "notDataFrame", severity: "problem", from: argument.from, to: argument.to,
        message: `Collector.collect() takes a pandas DataFrame: ${value} is not one, so it is not collected. Wrap it: pd.DataFrame(${value}).`,
        fix: frameFix(source, argument) });
    }
  }
  return { sdk, collectors, collected, findings: findings.sort((a, b) => a.from - b.from) };
}

/** Whether run()'s parameter is the request body as sent (no schema decorator or data type hint parses it first). */
function takesRawBody(source: PythonSource, run: FunctionInfo): boolean {
  const decorators = run.node.parent?.name === "DecoratedStatement" ? run.node.parent.getChildren("Decorator").map((d) => textOf(source, d)) : [];
  if (decorators.some((d) => /^@\s*(schema_decorators\.)?input_schema\b/.test(d.trim()))) return false;
  const hint = run.paramTypes.get(run.params[0] ?? "") ?? "";
  return hint === "" || /^(str|bytes)$/.test(hint);
}

function sdkOf(source: PythonSource): CollectorSdk | undefined {
  const imports = source.imports.map((i) => textOf(source, i));
  const calls = descendants(source.top, "CallExpression").map((c) => (c.firstChild ? textOf(source, c.firstChild) : ""));
  if (imports.some((t) => FLAVOURS.legacy.importPattern.test(t)) || calls.some((c) => FLAVOURS.legacy.constructorPattern.test(c))) return "legacy";
  if (imports.some((t) => FLAVOURS.current.importPattern.test(t))) return "current";
  return undefined;
}

function madeCollectors(source: PythonSource, sdk: CollectorSdk, findings: CollectorFinding[]): CollectorMade[] {
  const init = source.init;
  const globals = new Set<string>();
  for (const statement of init ? descendants(init.body, "ScopeStatement") : []) {
    if (textOf(source, statement).startsWith("global")) for (const v of descendants(statement, "VariableName")) globals.add(textOf(source, v));
  }
  const out: CollectorMade[] = [];
  for (const call of [...descendants(source.top, "CallExpression"), ...(init ? descendants(init.body, "CallExpression") : [])]) {
    if (!call.firstChild || !FLAVOURS[sdk].constructorPattern.test(textOf(source, call.firstChild))) continue;
    const args = callArguments(source, call);
    const identifier = sdk === "legacy" ? keywordName(call, "identifier", source) : undefined;
    if (identifier) {
      findings.push({ id: "identifierKeyword", severity: "problem", from: identifier.from, to: identifier.to,
        message: "identifier= is the 2018 preview's keyword: the released azureml-monitoring raises TypeError on it, so init() fails and the service does not start. Use designation= (the identifier folder in storage).",
        fix: { title: "Rename identifier= to designation=", edits: [{ offset: identifier.from, text: "designation", replace: identifier.to - identifier.from }] } });
    }
    const collectionNode = sdk === "current" ? args.keywords.get("name") : args.keywords.get("designation") ?? args.keywords.get("identifier") ?? args.positional[1];
    const assignment = call.parent?.name === "AssignStatement" && call.parent.firstChild?.name === "VariableName" ? call.parent : undefined;
    const variable = assignment ? textOf(source, assignment.firstChild!) : undefined;
    const inInit = !!init && call.from >= init.body.from && call.to <= init.body.to;
    const atModule = !inInit && assignment?.parent?.name === "Script";
    const features = args.keywords.get("feature_names") ?? (sdk === "legacy" ? args.positional[2] : undefined);
    out.push({
      variable, collection: pythonString(source, collectionNode),
      where: inInit ? "init" : atModule ? "module" : "elsewhere",
      everyPath: !inInit || !init || onEveryPath(init, call),
      visible: !inInit || (variable !== undefined && globals.has(variable)),
      featureNames: features?.name === "ArrayExpression" ? descendants(features, "String").filter((s) => s.parent && s.parent.from === features.from).length : undefined,
      call: { from: call.from, to: call.to },
      collectionAt: collectionNode?.name === "String" ? { from: collectionNode.from, to: collectionNode.to } : undefined,
    });
  }
  return out;
}

/** Whether a statement in init() runs whichever way init() goes: not in a branch or loop, no return before it. */
function onEveryPath(init: FunctionInfo, node: SyntaxNode): boolean {
  for (let n = node.parent; n && n.from >= init.body.from && !(n.from === init.body.from && n.to === init.body.to); n = n.parent) {
    if (/^(IfStatement|ForStatement|WhileStatement|MatchStatement)$/.test(n.name)) return false;
    // In a try body it is skipped when something before it raises and the handler swallows the error.
    if (n.name === "TryStatement" && !descendants(n, "RaiseStatement").length) return false;
  }
  return !descendants(init.body, "ReturnStatement").some((r) => r.to <= node.from);
}

/** Collector names against the deployment's collections (or, without them, the standard two). */
function collectionNames(collectors: CollectorMade[], context: AnalysisContext): CollectorFinding[] {
  const findings: CollectorFinding[] = [];
  const known = context.collectionsOn ?? STANDARD_COLLECTIONS;
  for (const made of collectors) {
    const name = made.collection;
    if (!name || known.includes(name)) continue;
    const near = known.find((k) => editDistance(k, name) <= 2);
    if (!near && !context.collectionsOn) continue;
    const at = made.collectionAt;
    const fix = near && at ? { title: `Use the collection name "${near}"`, edits: [{ offset: at.from, text: JSON.stringify(near), replace: at.to - at.from }] } : undefined;
    findings.push({ id: "collectionNameMismatch", severity: context.collectionsOn ? "problem" : "warning", ...made.call, fix,
      message: context.collectionsOn
        ? `Collector(name="${name}") writes to a collection the deployment does not have on (${known.join(", ") || "none"})${near ? `: did you mean "${near}"?` : ""} Its data goes nowhere.`
        : `Collector(name="${name}"): the deployment's collections are usually named ${STANDARD_COLLECTIONS.join(" and ")}; did you mean "${near}"? A name the deployment does not collect is silently dropped.` });
  }
  for (const on of context.collectionsOn ?? []) {
    if (collectors.some((c) => c.collection === on)) continue;
    findings.push({ id: "collectionNotCreated", severity: "problem", from: 0, to: 0,
      message: `The deployment collects "${on}", but no Collector(name="${on}") is made in the scoring file: nothing is logged to it.` });
  }
  return findings;
}

function featureNameCounts(collectors: CollectorMade[], context: AnalysisContext): CollectorFinding[] {
  const findings: CollectorFinding[] = [];
  for (const made of collectors) {
    const stored = made.collection ? context.storedColumns?.[made.collection] : undefined;
    if (stored === undefined || made.featureNames === undefined || stored === made.featureNames) continue;
    findings.push({ id: "featureNamesLength", severity: "warning", ...made.call,
      message: `feature_names lists ${made.featureNames} name(s), but the newest "${made.collection}" file in storage has ${stored} data column(s): the header and the rows disagree.` });
  }
  return findings;
}

/** Whether `argument` holds a DataFrame in run(): made by pandas, typed as one, or not known to be anything else. */
function isFrame(source: PythonSource, run: FunctionInfo, argument: SyntaxNode): boolean {
  if (/^(DictionaryExpression|ArrayExpression|Number|String|TupleExpression|Boolean|None)$/.test(argument.name)) return false;
  const text = textOf(source, argument);
  if (MAKES_DATA_FRAME.test(text)) return true;
  if (argument.name !== "VariableName") return !NOT_A_FRAME.test(text);
  if (/DataFrame/.test(run.paramTypes.get(text) ?? "")) return true;
  const assignments = descendants(run.body, "AssignStatement").filter((a) => a.firstChild?.name === "VariableName" && textOf(source, a.firstChild) === text);
  if (assignments.length === 0) return true;
  // Every assignment must be known not to make one (a helper's return value may well be a DataFrame).
  return !assignments.every((a) => {
    const value = a.lastChild ? textOf(source, a.lastChild) : "";
    return !MAKES_DATA_FRAME.test(value) && (NOT_A_FRAME.test(value) || /^(DictionaryExpression|ArrayExpression|Number|String)$/.test(a.lastChild?.name ?? ""));
  });
}

function frameFix(source: PythonSource, argument: SyntaxNode): CollectorFinding["fix"] {
  const value = textOf(source, argument);
  const edits: Insertion[] = [{ offset: argument.from, text: `${FRAME_HELPER}(${value})`, replace: argument.to - argument.from }];
  // As the planner wraps: through to_data_frame() (added once, with pandas), so a value that is not a table never fails a request.
  const pd = pandasName(source);
  const added = [...(pd ? [] : ["import pandas as pd"]), ...(source.names.has(FRAME_HELPER) ? [] : [frameHelper(pd ?? "pd", source)])];
  if (added.length > 0) edits.push(importInsertion(source, added.join(source.newline)));
  return { title: `Collect ${value} as a DataFrame (${FRAME_HELPER})`, edits };
}

/** Moves a collect() statement from an except block to the end of its try body (before the try body's return). */
function outOfExceptFix(source: PythonSource, call: SyntaxNode): CollectorFinding["fix"] {
  const statement = statementOf(call);
  const handler = statement.parent;
  const tryStatement = handler?.parent;
  if (handler?.name !== "Body" || tryStatement?.name !== "TryStatement" || !startsLine(source.text, statement)) return undefined;
  const isCollect = (s: SyntaxNode) => /\.collect\s*\(/.test(textOf(source, s));
  // The except block must keep a statement of its own, or it would be left empty.
  if (children(handler).filter((c) => c.name.endsWith("Statement")).every(isCollect)) return undefined;
  const tryBody = tryStatement.getChild("Body");
  const last = tryBody ? children(tryBody).filter((c) => c.name.endsWith("Statement")).pop() : undefined;
  if (!last || !startsLine(source.text, last)) return undefined;
  const indent = lineIndent(source.text, last.from);
  const line = `${indent}${textOf(source, statement)}${source.newline}`;
  const remove = { offset: lineStart(source.text, statement.from), text: "", replace: lineEnd(source.text, statement.to - 1) - lineStart(source.text, statement.from) };
  const insert = last.name === "ReturnStatement" ? { offset: lineStart(source.text, last.from), text: line } : { offset: lineEnd(source.text, last.to - 1), text: line };
  return { title: "Move the collect() call out of the except block, to where the request succeeded", edits: [insert, remove] };
}

function globalFix(source: PythonSource, name: string): CollectorFinding["fix"] {
  if (!source.init || !source.run) return undefined;
  return { title: `Declare ${name} global in init()`, edits: initEdits(source, source.run, [name], []).insertions };
}

/** Makes the collector run() uses first thing in init() (after its global statement), named for its role. */
function createFix(source: PythonSource, sdk: CollectorSdk, name: string): CollectorFinding["fix"] {
  if (!source.run) return undefined;
  const role = /pred|output|result|score/i.test(name) ? "outputs" : "inputs";
  const imported = /\bCollector\b|\bModelDataCollector\b/.test(source.imports.map((i) => textOf(source, i)).join("\n"));
  const edits = [...(imported ? [] : [importInsertion(source, FLAVOURS[sdk].importLine)]), ...initEdits(source, source.run, [name], [FLAVOURS[sdk].create(role, name, "model", undefined)]).insertions];
  return { title: `Make ${name} in init() (${FLAVOURS[sdk].label})`, edits };
}

function assignedAtModule(source: PythonSource, name: string): boolean {
  for (let s = source.top.firstChild; s; s = s.nextSibling) {
    if (s.name === "AssignStatement" && s.firstChild?.name === "VariableName" && textOf(source, s.firstChild) === name) return true;
  }
  return false;
}

function keywordName(call: SyntaxNode, keyword: string, source: PythonSource): SyntaxNode | undefined {
  const list = call.getChild("ArgList");
  for (let c = list?.firstChild; c; c = c.nextSibling) {
    if (c.name === "VariableName" && textOf(source, c) === keyword && c.nextSibling?.name === "AssignOp") return c;
  }
  return undefined;
}


function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const kept = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = kept;
    }
  }
  return row[b.length];
}

/** The file with every finding's fix applied (non-overlapping edits; the first fix wins a clash). */
export function correctedText(text: string, analysis: CollectorAnalysis): string {
  const edits: Insertion[] = [];
  const taken: Array<[number, number]> = [];
  for (const finding of analysis.findings) {
    const fix = finding.fix;
    if (!fix) continue;
    const spans = fix.edits.map((e) => [e.offset, e.offset + (e.replace ?? 0)] as [number, number]);
    if (spans.some(([a, b]) => taken.some(([c, d]) => a < d && c < b))) continue;
    // Two fixes may add the same line (an import): once is enough.
    for (const edit of fix.edits) if (!edits.some((e) => e.offset === edit.offset && e.text === edit.text)) edits.push(edit);
    taken.push(...spans.filter(([a, b]) => b > a));
  }
  return applyInsertions(text, edits);
}
