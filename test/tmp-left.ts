import { leftovers } from '../src/node/footprint.ts';
const D = process.argv[2] ?? '';
console.log(await leftovers({ dir: D, binDir: process.argv[3] ?? '' }));
