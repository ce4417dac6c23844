// Check 4: what the inference server said. The tail of the deployment's log is searched for Python
// tracebacks and error lines that involve the collector; each is quoted (secrets redacted) under the check
// it belongs to: a collector that was never made is the code's fault, a '_handle' error the configuration's.
import { redactSecrets } from "../errors";
import { result, type CheckId, type CheckResult } from "./checkResult";

export interface LogFinding {
  /** The check the lines are evidence for. */
  check: CheckId;
  what: string;
  lines: string[];
}

const COLLECTOR = /\b(ModelDataCollector|Collector|[\w.]*collector\w*|_dc\b|\w+_dc|azureml[./]ai[./]monitoring|azureml[./]monitoring|mdc)\b/i;
const TRACEBACK_START = /Traceback \(most recent call last\):/;
/** The exception line that ends a traceback: `NameError: …`, `azureml.x.SomeError: …`. */
const EXCEPTION_LINE = /^(?:.*\s)?([A-Za-z_][\w.]*(?:Error|Exception|Warning))(?::\s|$)/;

const KNOWN: Array<{ pattern: RegExp; check: CheckId; what: (m: RegExpMatchArray) => string }> = [
  { pattern: /NameError: name '(\w+)' is not defined/, check: "code", what: (m) => `run() uses ${m[1]}, which init() never made on the path it took (not global, or made in a branch).` },
  { pattern: /'ModelDataCollector' object has no attribute '_handle'/, check: "configuration", what: () => "The collector never initialised: model data collection is not enabled on the service." },
  { pattern: /unexpected keyword argument 'identifier'/, check: "code", what: () => "ModelDataCollector(identifier=…) fails on the released package: init() raised TypeError." },
  { pattern: /Must pass 2-d input/, check: "code", what: () => "collect() got a value pandas cannot make a table of (1-d or a scalar where rows were expected)." },
  { pattern: /Collector\.collect|takes a pandas DataFrame|data should be (a )?pandas DataFrame/i, check: "code", what: () => "collect() was given something other than a pandas DataFrame." },
];

/** Collector trouble in a log's text, newest last; at most `limit` findings. */
export function matchCollectorLog(text: string, limit = 10): LogFinding[] {
  const lines = text.split(/\r?\n/);
  const found: LogFinding[] = [];
  const seen = new Set<string>();
  const add = (finding: LogFinding) => {
    const key = `${finding.check}|${finding.lines[finding.lines.length - 1]}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ ...finding, lines: finding.lines.map((l) => redactSecrets(l.trimEnd()).slice(0, 400)) });
  };
  for (let i = 0; i < lines.length; i++) {
    if (TRACEBACK_START.test(lines[i])) {
      // Frames and their code are indented; the first line that is not ends the traceback (the exception).
      let end = i + 1;
      while (end < lines.length && (lines[end] === "" || /^\s/.test(lines[end]))) end++;
      const block = lines.slice(i, Math.min(end + 1, lines.length));
      const last = block[block.length - 1] ?? "";
      if (block.some((l) => COLLECTOR.test(l) && !/azureml_inference_server_http/.test(l)) || KNOWN.some((k) => k.pattern.test(last))) {
        const known = KNOWN.find((k) => k.pattern.test(last));
        // The frame in the user's code that raised it, and the exception.
        const frames = block.filter((l) => /^\s+File "/.test(l));
        const userFrame = frames.filter((l) => !/site-packages|dist-packages/.test(l)).pop();
        const frameIndex = userFrame ? block.indexOf(userFrame) : -1;
        const quoted = [...(frameIndex >= 0 ? block.slice(frameIndex, frameIndex + 2) : []), last];
        add({ check: known?.check ?? "code", what: known ? known.what(last.match(known.pattern)!) : `A Python error involving the collector: ${exceptionOf(last)}.`, lines: quoted });
      }
      i = end;
      continue;
    }
    const known = KNOWN.find((k) => k.pattern.test(lines[i]));
    if (known) add({ check: known.check, what: known.what(lines[i].match(known.pattern)!), lines: [lines[i]] });
  }
  return found.slice(-limit);
}

export function judgeLog(tailLines: number, text: string): CheckResult {
  const findings = matchCollectorLog(text);
  const seen = [`Read the last ${tailLines.toLocaleString("en-US")} lines of the inference server's log (${text.split(/\r?\n/).filter(Boolean).length.toLocaleString("en-US")} returned).`];
  if (findings.length === 0) return result("log", "ok", [...seen, "No collector errors or tracebacks that mention the collector."]);
  return result("log", "problem", [...seen, ...findings.map((f) => `${f.what} (→ ${f.check === "configuration" ? "Configuration" : "Deployed scoring code"})`)],
    "Fix what the quoted lines show, then redeploy.", undefined, findings.flatMap((f) => f.lines));
}

function exceptionOf(line: string): string {
  return line.match(EXCEPTION_LINE)?.[1] ?? line.trim().slice(0, 80);
}
