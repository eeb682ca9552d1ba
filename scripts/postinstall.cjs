// npm installs miniprogram-compiler's WeChat compilers (wcc, wcsc) without their execute bit: restore it, so a
// fresh `npm ci` can compile WXML and WXSS (check:mp and miniprogram-simulate both run them).
const fs = require('node:fs');
const path = require('node:path');

let root;
try {
  root = path.dirname(require.resolve('miniprogram-compiler/package.json'));
} catch {
  process.exit(0); // not installed (e.g. a production-only install): nothing to fix
}
for (const name of ['wcc', 'wcsc']) {
  const binary = path.join(root, 'bin', 'linux', name);
  if (fs.existsSync(binary)) fs.chmodSync(binary, 0o755);
}
