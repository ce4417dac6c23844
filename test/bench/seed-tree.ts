// Seeds the tree benchmark's storage ahead of time (`node out/test/bench/seed-tree.js`).
import { benchStorage } from "./benchStorage";
import { TREE_BENCH_SCENARIO } from "./treeScenario";

benchStorage(TREE_BENCH_SCENARIO).then(async (s) => {
  console.log(`[bench] ${s.blobCount} blobs ready`);
  await s.azurite.stop();
}, (error) => {
  console.error(error);
  process.exit(1);
});
