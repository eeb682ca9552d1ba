/**
 * The contract-outputs checker (scripts/check-contract-outputs.ts, part of `npm run typecheck`) on a tiny function
 * (test/fixtures/contract-outputs/): handlers TypeScript accepts, of which it names the ones returning a field
 * their contract output does not, and by the field's path.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import {
  checkContractOutputs,
  describeOutputProblem,
  readTsconfig,
  type OutputCheck,
} from '../../scripts/check-contract-outputs';

const repoRoot = path.resolve(__dirname, '..', '..');
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'contract-outputs');
const handlersFile = path.join(fixtures, 'handlers.ts');
const source = readFileSync(handlersFile, 'utf8').split('\n');
/** The line where the fixture defines an action. */
const lineOf = (action: string): number => source.findIndex((line) => line.includes(`'${action}': {`)) + 1;
const file = 'test/fixtures/contract-outputs/handlers.ts';

let check: OutputCheck;

beforeAll(() => {
  const { options } = readTsconfig(path.join(repoRoot, 'tsconfig.node.json'));
  check = checkContractOutputs(ts.createProgram([handlersFile], options), repoRoot);
});

describe('contract outputs checker', () => {
  it('checks every action of the define call', () => {
    expect(check.actions).toBe(7);
    expect(check.unresolved).toEqual([]);
  });

  it('names each action that returns a field outside its contract output, at any depth', () => {
    expect(check.problems).toEqual([
      { file, line: lineOf('items.extraTop'), action: 'items.extraTop', fields: ['count'] },
      { file, line: lineOf('items.extraNested'), action: 'items.extraNested', fields: ['items[].stock'] },
      { file, line: lineOf('shapes.unionExtra'), action: 'shapes.unionExtra', fields: ['shapes[].colour'] },
      { file, line: lineOf('items.byId'), action: 'items.byId', fields: ['byId[key].hidden'] },
    ]);
  });

  it('passes a clean handler, a Date for a string, each member of a union output, unknown and a record', () => {
    const named = check.problems.map((p) => p.action);
    expect(named).not.toContain('items.clean');
    expect(named).not.toContain('items.dateAsString');
    expect(named).not.toContain('shapes.union');
  });

  it('says which action and field, at the line the action is written', () => {
    expect(describeOutputProblem(check.problems[0])).toBe(
      `${file}:${lineOf('items.extraTop')}: action 'items.extraTop' returns a field the contract output does not name: count`,
    );
  });
});
