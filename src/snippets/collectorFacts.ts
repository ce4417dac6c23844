// What a scoring file already has of data collection, read from code only (comments and strings never
// count): the collector import, collectors constructed at top level or in init(), and collect() calls in run().
import type { SyntaxNode } from "@lezer/common";
import { callArguments, descendants, textOf, type FunctionInfo, type PythonSource } from "./pythonSource";
import { FLAVOURS, OTHER_SDK, type CollectorRole, type CollectorSdk } from "./sdkFlavours";

export interface CollectCall {
  /** The collector variable the call is made on. */
  name: string;
  call: SyntaxNode;
  argCount: number;
  /** The value collected (the first argument, or `input_data=` / `data=`). */
  argument?: SyntaxNode;
  /** The variable the call's result is stored in (the current SDK's correlation context). */
  assignedTo?: string;
}

/** Every `<collector>.collect(…)` call in run(), in source order. */
export function collectCallsIn(source: PythonSource, run: FunctionInfo): CollectCall[] {
  const collects: CollectCall[] = [];
  for (const call of descendants(run.body, "CallExpression")) {
    const callee = call.firstChild;
    if (callee?.name !== "MemberExpression" || callee.firstChild?.name !== "VariableName") continue;
    if (callee.lastChild?.name !== "PropertyName" || textOf(source, callee.lastChild) !== "collect") continue;
    const args = callArguments(source, call);
    const assignment = call.parent?.name === "AssignStatement" && call.parent.firstChild?.name === "VariableName" ? call.parent.firstChild : undefined;
    collects.push({ name: textOf(source, callee.firstChild), call, argCount: args.positional.length + args.keywords.size,
      argument: args.positional[0] ?? args.keywords.get("input_data") ?? args.keywords.get("data"), assignedTo: assignment && textOf(source, assignment) });
  }
  return collects;
}

export interface CollectorFacts {
  hasImport: boolean;
  /** The other SDK's collectors or import are in the file. */
  usesOtherSdk: boolean;
  /** Collectors constructed in the file, by role; `inInit` when made inside init() (so they need `global`). */
  created: Partial<Record<CollectorRole, { name: string; inInit: boolean }>>;
  /** collect() calls made in run(), in source order. */
  collects: CollectCall[];
  /** A ModelDataCollector is made with the 2018 `identifier=` keyword, which the released package refuses. */
  usesIdentifierKeyword: boolean;
}

export function readCollectorFacts(source: PythonSource, run: FunctionInfo, sdk: CollectorSdk): CollectorFacts {
  const flavour = FLAVOURS[sdk];
  const other = FLAVOURS[OTHER_SDK[sdk]];
  const importsText = source.imports.map((i) => textOf(source, i));
  const constructions = (pattern: RegExp) => [...descendants(source.top, "CallExpression"), ...(source.init ? descendants(source.init.body, "CallExpression") : [])]
    .filter((c) => c.firstChild && pattern.test(textOf(source, c.firstChild)));

  const created: CollectorFacts["created"] = {};
  let usesIdentifierKeyword = false;
  for (const call of constructions(flavour.constructorPattern)) {
    if (sdk === "legacy" && callArguments(source, call).keywords.has("identifier")) usesIdentifierKeyword = true;
    const role = flavour.roleOf(source, call);
    const assignment = call.parent;
    if (!role || created[role] || assignment?.name !== "AssignStatement" || assignment.firstChild?.name !== "VariableName") continue;
    const inInit = !!source.init && call.from >= source.init.body.from && call.to <= source.init.body.to;
    created[role] = { name: textOf(source, assignment.firstChild), inInit };
  }

  const collects = collectCallsIn(source, run);

  return {
    hasImport: importsText.some((t) => flavour.importPattern.test(t)),
    // Any ModelDataCollector is the legacy SDK's; a `Collector` is the current SDK's only with a model_inputs/outputs name
    // (other libraries have classes of that name too).
    usesOtherSdk: importsText.some((t) => other.importPattern.test(t))
      || constructions(other.constructorPattern).some((c) => sdk === "current" || other.roleOf(source, c) !== undefined),
    created, collects, usesIdentifierKeyword,
  };
}
