// CPU time spent while a bench measures something: this process (every thread: host, engine, download and
// statistics threads, V8's compiler and GC helpers) and the storage emulator's process. On a machine whose
// cores the emulator shares, the sum over the cores is the shortest the work can take, however it overlaps:
// the benches print it beside the goals it bounds.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

export interface CpuSpent {
  /** This process, ms. */
  ours: number;
  /** The emulator's process, ms (undefined where /proc cannot tell). */
  emulator?: number;
}

let ticksPerSecond: number | undefined;

/** utime + stime of a process from /proc, ms; undefined off Linux or once it has exited. */
function processCpu(pid: number): number | undefined {
  try {
    ticksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
  } catch {
    return undefined;
  }
}

/** Starts counting; stop() gives the CPU spent since. */
export function cpuClock(emulatorPid: number): { stop(): CpuSpent } {
  const ours = process.cpuUsage();
  const emulator = processCpu(emulatorPid);
  return {
    stop: () => {
      const spent = process.cpuUsage(ours);
      const emulatorNow = processCpu(emulatorPid);
      return { ours: (spent.user + spent.system) / 1000, emulator: emulator !== undefined && emulatorNow !== undefined ? emulatorNow - emulator : undefined };
    },
  };
}

/** The shortest wall time that much CPU can take on this machine's cores (ms). */
export function shortestWall(spent: CpuSpent): number {
  return (spent.ours + (spent.emulator ?? 0)) / availableParallelism();
}

export function describeCpu(spent: CpuSpent): string {
  const emulator = spent.emulator === undefined ? "Azurite not measured" : `Azurite ${spent.emulator.toFixed(0)} ms`;
  return `CPU: this process ${spent.ours.toFixed(0)} ms (all its threads), ${emulator}; on ${availableParallelism()} cores no less than ${shortestWall(spent).toFixed(0)} ms`;
}

/** Medians of several runs' CPU, each part on its own. */
export function medianSpent(runs: readonly CpuSpent[]): CpuSpent {
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const emulator = runs.map((r) => r.emulator).filter((v): v is number => v !== undefined);
  return { ours: median(runs.map((r) => r.ours)), emulator: emulator.length === runs.length && runs.length > 0 ? median(emulator) : undefined };
}
