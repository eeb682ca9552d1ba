/**
 * A file whose tests tell one story in order (create, check in, submit, confirm, count), written so that each test
 * still passes alone: `step(name, body)` declares a test, and a test whose earlier steps have not run (it runs
 * alone, `-t '<name>'`) runs them first, with their assertions, then its own. In a whole-file run every step runs
 * once, in order, as plain `it`s would.
 */
export function story(): (name: string, body: () => Promise<void>) => void {
  const order: { name: string; body: () => Promise<void> }[] = [];
  const done = new Set<string>();
  const run = async (index: number) => {
    const { name, body } = order[index];
    if (done.has(name)) return;
    await body();
    done.add(name);
  };
  return (name, body) => {
    const index = order.push({ name, body }) - 1;
    it(name, async () => {
      for (let i = 0; i <= index; i += 1) await run(i);
    });
  };
}
