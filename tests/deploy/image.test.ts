import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readText } from './files.js';

/*
 * The image's bounded V8 heap (docs/decisions/038): the flags are ones Node accepts in NODE_OPTIONS (an unknown or
 * refused flag would keep the container from starting), and they do bound the heap — V8 would otherwise size it
 * from the host's memory (4 GB on a large host).
 */
const nodeOptions = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(readText('Dockerfile'))?.[1];

describe('the image’s NODE_OPTIONS', () => {
  it('bound the heap of a node started with them to a few hundred MB', () => {
    expect(nodeOptions).toMatch(/--max-old-space-size=\d+/);
    const limitMb = Number(
      execFileSync(
        process.execPath,
        ['-e', "process.stdout.write(String(require('v8').getHeapStatistics().heap_size_limit / 2 ** 20))"],
        {
          env: { PATH: process.env.PATH, NODE_OPTIONS: nodeOptions },
          encoding: 'utf8',
        },
      ),
    );
    expect(limitMb).toBeGreaterThan(150);
    expect(limitMb).toBeLessThan(260);
  });
});
