// Benchmark: stream a large simulated network (default 1M episodes) through the generator and
// report throughput and memory. The point is constant memory: the peak heap of a 1M-episode run
// should match that of a 100k run, since nothing but a bounded arrival buffer is kept.
import { simulateNetwork } from '../dist/index.js';

const episodes = Number(process.env.BENCH_EPISODES ?? 1_000_000);
const mib = (bytes) => Number((bytes / 1024 / 1024).toFixed(1));

const started = process.hrtime.bigint();
let events = 0;
let peakRss = 0;
let peakHeap = 0;
for (const _event of simulateNetwork({ seed: 1, episodes })) {
  events += 1;
  if (events % 50_000 === 0) {
    const { rss, heapUsed } = process.memoryUsage();
    peakRss = Math.max(peakRss, rss);
    peakHeap = Math.max(peakHeap, heapUsed);
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(
  JSON.stringify({
    bench: 'simulator.stream',
    episodes,
    events,
    seconds: Number(seconds.toFixed(1)),
    eventsPerSecond: Math.round(events / seconds),
    episodesPerSecond: Math.round(episodes / seconds),
    peakRssMiB: mib(peakRss),
    peakHeapMiB: mib(peakHeap),
  }),
);
