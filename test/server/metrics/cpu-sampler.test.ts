import t from 'tap';
import { createCpuSampler } from '../../../server/metrics/cpu-sampler.js';
import { memorySnapshot, parseMemAvailable, systemSnapshot } from '../../../server/metrics/system-snapshot.js';

const core = (busy: number, idle: number) => ({ times: { user: busy, nice: 0, sys: 0, irq: 0, idle } });

t.test('percent is the busy share of tick deltas across all cores', async (t) => {
  let cores = [core(100, 100), core(100, 100)];
  let clock = 0;
  const cpu = createCpuSampler({ cpus: () => cores, now: () => clock, minWindowMs: 1000 });
  cores = [core(200, 100), core(100, 200)]; // one core fully busy, the other idle
  clock = 1000;
  t.equal(cpu.percent(), 50);
  cores = [core(300, 100), core(200, 200)]; // both busy
  clock = 2000;
  t.equal(cpu.percent(), 100);
});

t.test('a read inside the minimum window repeats the last full window', async (t) => {
  let cores = [core(0, 0)];
  let clock = 0;
  const cpu = createCpuSampler({ cpus: () => cores, now: () => clock, minWindowMs: 1000 });
  cores = [core(25, 75)];
  clock = 1000;
  t.equal(cpu.percent(), 25);
  cores = [core(35, 75)]; // 100% busy, but only 10 ms later
  clock = 1010;
  t.equal(cpu.percent(), 25, 'not a 10 ms blip');
  cores = [core(125, 175)];
  clock = 2000;
  t.equal(cpu.percent(), 50, 'the next full window counts from the last baseline');
});

t.test('no ticks elapsed reads as 0, never NaN', async (t) => {
  const cpu = createCpuSampler({ cpus: () => [core(10, 10)], now: () => 0 });
  t.equal(cpu.percent(), 0);
});

t.test('real CPU: within 0-100 and above 0 after busy work', async (t) => {
  const cpu = createCpuSampler({ minWindowMs: 0 });
  const before = cpu.percent();
  t.ok(before >= 0 && before <= 100, `before ${before}`);
  const end = performance.now() + 300;
  let spins = 0;
  while (performance.now() < end) spins += 1;
  const after = cpu.percent();
  t.ok(spins > 0);
  t.ok(after > 0 && after <= 100, `after busy work ${after}`);
});

t.test('system snapshot has the API shape with sane values', async (t) => {
  const snap = systemSnapshot(createCpuSampler());
  t.ok(snap.cpuPercent >= 0 && snap.cpuPercent <= 100);
  t.ok(snap.memory.totalBytes > 0);
  t.ok(snap.memory.usedBytes > 0 && snap.memory.usedBytes <= snap.memory.totalBytes);
  t.ok(snap.memory.processRssBytes > 0);
  t.ok(Number.isInteger(snap.uptimeSec) && snap.uptimeSec >= 0);
  t.equal(snap.loadAvg.length, 3);
  t.same(Object.keys(memorySnapshot()).sort(), ['processRssBytes', 'totalBytes', 'usedBytes']);
});

t.test('MemAvailable is read from /proc/meminfo text', async (t) => {
  const text = 'MemTotal:       16000000 kB\nMemFree:          500000 kB\nMemAvailable:    8000000 kB\n';
  t.equal(parseMemAvailable(text), 8000000 * 1024);
  t.equal(parseMemAvailable('MemTotal: 1 kB\n'), undefined);
});
