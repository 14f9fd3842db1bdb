/**
 * A progress bar on stderr: redrawn in place on a terminal, a line every 10% otherwise (CI
 * logs), so both stay readable.
 */
export function progressBar(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
) {
  const started = Date.now();
  let lastDecile = -1;
  const render = (count: number, extra: string) => {
    // A count past the total (a simulated client's second episode) still reads as the total.
    const done = Math.min(count, total);
    const fraction = total === 0 ? 1 : done / total;
    const width = 30;
    const filled = Math.round(fraction * width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    return `${label} [${bar}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${done}/${total} ${extra}`;
  };
  return {
    update(done: number, extra = '') {
      if (stream.isTTY) {
        stream.write(`\r${render(done, extra)}`);
        return;
      }
      const decile = Math.floor((done / Math.max(1, total)) * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${render(done, extra)}\n`);
      }
    },
    finish(summary: string) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      stream.write(
        `${stream.isTTY ? '\r' : ''}${render(total, '')}\n${label}: ${summary} in ${seconds} s\n`,
      );
    },
  };
}
