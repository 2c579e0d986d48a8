import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Top self-time functions of a V8 .cpuprofile (what `node --cpu-prof` writes), as a Markdown table. */
export function summariseProfile(file: string, top = 25): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frame = new Map<number, string>();
  for (const n of p.nodes) {
    const { functionName, url, lineNumber } = n.callFrame;
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
    frame.set(n.id, `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`);
  }
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const name = frame.get(p.samples[i]) ?? '?';
    const us = p.timeDeltas[i] ?? 0;
    if (name.startsWith('(idle)')) continue;
    self.set(name, (self.get(name) ?? 0) + us);
    total += us;
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = [
    `Top self time in ${path.basename(file)} (busy ${(total / 1e6).toFixed(1)} s, idle excluded):`,
    '',
    '| self % | self ms | function |',
    '| ---: | ---: | --- |',
  ];
  for (const [name, us] of rows) {
    lines.push(`| ${((us / total) * 100).toFixed(1)} | ${(us / 1000).toFixed(0)} | \`${name}\` |`);
  }
  return lines.join('\n');
}

function shorten(url: string): string {
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) return u.slice(nm + 'node_modules/'.length);
  const dist = u.indexOf('/dist/');
  return dist >= 0 ? u.slice(dist + 1) : u;
}

/** Summarises the newest profile in `dir` (the portal's, written when it exits). */
export function summariseProfiles(dir: string): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!files.length) return `no .cpuprofile in ${dir}`;
  const summary = summariseProfile(files[0]);
  console.log(`\n${summary}\n`);
  return summary;
}
