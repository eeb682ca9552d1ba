/** For the checks that read the project's own sources as text (schema names, deploy, paged lists). */
import fs from 'node:fs';
import path from 'node:path';

/** Every file below `dir` whose name ends in `ext`, leaving out installed packages (`miniprogram_npm`). */
export function sourceFiles(dir: string, ext = '.ts'): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'miniprogram_npm' ? [] : sourceFiles(full, ext);
    return entry.name.endsWith(ext) ? [full] : [];
  });
}
