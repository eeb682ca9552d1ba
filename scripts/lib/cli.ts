/** What the production scripts (deploy, upload, setup-town) share as command-line programs. */

/**
 * Runs a script's `main(argv)` when its file is the program node started (not when a test imports it): exits
 * with the code `main` answers, or prints `failed` with the error's message and exits 1.
 */
export function runAsProgram(mod: unknown, main: (argv: string[]) => Promise<number>, failed: string): void {
  if (require.main !== mod) return;
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      console.error(failed, error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
