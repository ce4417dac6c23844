// Mocha runner loaded by VS Code's extension host (extensionTestsPath). Prints `N passed, N failed`.
import Mocha from "mocha";
import { appendFileSync, readdirSync } from "node:fs";
import { format } from "node:util";
import { join } from "node:path";

/** Mocha's reporters print through Base.consoleLog; copy each line to the file the outer runner tails. */
function reportToFile(path: string | undefined): void {
  if (!path) return;
  const original = Mocha.reporters.Base.consoleLog;
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
    appendFileSync(path, format(...args) + "\n");
    original(...args);
  };
}

export function run(): Promise<void> {
  reportToFile(process.env.MODELDATA_TEST_REPORT);
  const mocha = new Mocha({ ui: "bdd", color: false, timeout: 60_000, reporter: "spec" });
  const grep = process.env.MODELDATA_TEST_GREP;
  if (grep) mocha.grep(grep);
  // Sorted by name: 00-activation.test.js goes first, as it checks the state before anything activates
  // the extension (the desktop runner in .vscode-test.mjs sorts the same way).
  const files = readdirSync(__dirname).filter((f) => f.endsWith(".test.js")).sort();
  for (const file of files) {
    mocha.addFile(join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passed = runner.stats?.passes ?? 0;
      Mocha.reporters.Base.consoleLog(`${passed} passed, ${failures} failed`);
      if (failures > 0 || passed === 0) reject(new Error(`${failures} integration test(s) failed, ${passed} passed`));
      else resolve();
    });
  });
}
