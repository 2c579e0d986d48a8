/** `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`: the top self-time functions of a CPU profile. */
import { summariseProfile } from './lib/profile.js';

const [file, top] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(1);
}
console.log(summariseProfile(file, top ? Number(top) : 25));
