// A jest reporter that ends every run with its slowest test files, so the suite's time stays in view.
class SlowestFilesReporter {
  constructor(_globalConfig, options = {}) {
    this.count = options.count ?? 5;
  }

  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((r) => ({ file: r.testFilePath, ms: r.perfStats.end - r.perfStats.start }))
      .filter((f) => Number.isFinite(f.ms))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, this.count);
    if (files.length === 0) return;
    const root = process.cwd() + '/';
    console.log(`\nSlowest ${files.length} test files:`);
    for (const f of files)
      console.log(`  ${(f.ms / 1000).toFixed(1).padStart(6)} s  ${f.file.replace(root, '')}`);
  }
}

module.exports = SlowestFilesReporter;
