/**
 * Matchers every page test has (jest.config.js loads this file after the framework): `toRead` for what a page
 * shows a person.
 */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The page's `text()` contains every one of `phrases` (as `toContain` would find each). */
      toRead(phrases: readonly string[]): R;
    }
  }
}

expect.extend({
  /** `expect(text()).toRead([...])`: what the page reads holds each phrase; the message names the missing ones. */
  toRead(shown: unknown, phrases: readonly string[]) {
    if (this.isNot) throw new Error('toRead has no .not: use .not.toContain for each phrase');
    if (typeof shown !== 'string') throw new Error(`toRead reads a page's text(), not ${typeof shown}`);
    const missing = phrases.filter((phrase) => !shown.includes(phrase));
    return {
      pass: missing.length === 0,
      message: () =>
        `expected the page to read ${missing.map((phrase) => this.utils.printExpected(phrase)).join(', ')}\n` +
        `it reads ${this.utils.printReceived(shown)}`,
    };
  },
});

export {};
