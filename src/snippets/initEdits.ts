// Where collector code goes in a scoring file, for the planner and the Quick Fixes alike: the import after
// the file's last import, and in init() the names declared global and the collectors made right after the
// global statement (so a `return` later in init() cannot skip them), or a new init() above run().
import { descendants, lineEnd, lineIndent, lineStart, textOf, type FunctionInfo, type PythonSource } from "./pythonSource";
import type { Insertion } from "./textEdits";

/** `text` (one or more lines) after the file's last import, or after its docstring and `__future__` imports. */
export function importInsertion(source: PythonSource, text: string): Insertion {
  const last = source.imports.filter((i) => !/^from\s+__future__\s+import/.test(textOf(source, i))).pop();
  const at = last ? last.to : source.importAnchor;
  return { offset: at === 0 ? 0 : lineEnd(source.text, at - 1), text: `${text}${source.newline}` };
}

export interface InitEdits {
  insertions: Insertion[];
  /** init() did not exist and is added above run(). */
  newInit: boolean;
  /** The names that were not yet declared global in init(), and how they were: appended or a new statement. */
  declared: string[];
  declaredBy?: "appended" | "statement";
}

/** Declares `globals` in init() and makes `creations` there (lines of code, without indentation). */
export function initEdits(source: PythonSource, run: FunctionInfo, globals: string[], creations: string[]): InitEdits {
  const nl = source.newline;
  const init = source.init;
  if (!init) {
    const indent = lineIndent(source.text, run.start) + source.indentUnit;
    const body = [`global ${globals.join(", ")}`, ...creations].map((l) => `${indent}${l}${nl}`).join("");
    return { insertions: [{ offset: lineStart(source.text, run.start), text: `def init():${nl}${body}${nl}${nl}` }], newInit: true, declared: globals };
  }
  const statements = init.statements;
  const code = statements.filter((s, i) => !(i === 0 && s.name === "ExpressionStatement" && s.firstChild?.name === "String"));
  const indent = lineIndent(source.text, (code[0] ?? statements[0] ?? init.body).from) || lineIndent(source.text, init.node.from) + source.indentUnit;
  const globalStatement = code.find((s) => s.name === "ScopeStatement" && textOf(source, s).startsWith("global"));
  const already = new Set(descendants(init.body, "ScopeStatement").filter((s) => textOf(source, s).startsWith("global"))
    .flatMap((s) => descendants(s, "VariableName").map((v) => textOf(source, v))));
  const missing = globals.filter((n) => !already.has(n));
  const insertions: Insertion[] = [];
  const endOfBody = lineEnd(source.text, (statements[statements.length - 1] ?? init.body).to - 1);
  let declaredBy: InitEdits["declaredBy"];
  if (missing.length > 0 && globalStatement) {
    insertions.push({ offset: globalStatement.to, text: `, ${missing.join(", ")}` });
    declaredBy = "appended";
  } else if (missing.length > 0) {
    insertions.push({ offset: code[0] ? lineStart(source.text, code[0].from) : endOfBody, text: `${indent}global ${missing.join(", ")}${nl}` });
    declaredBy = "statement";
  }
  if (creations.length > 0) {
    const offset = globalStatement ? lineEnd(source.text, globalStatement.to - 1) : code[0] ? lineStart(source.text, code[0].from) : endOfBody;
    insertions.push({ offset, text: creations.map((c) => `${indent}${c}${nl}`).join("") });
  }
  return { insertions, newInit: false, declared: missing, declaredBy };
}
