/**
 * Part of `npm run typecheck`: every field a cloud-function handler returns must be named by its contract output.
 * TypeScript checks that a handler's result fits the contract (`actionsOf` in cloudfunctions/common/router.ts), but
 * not excess properties of a returned value: `{ shops, count }` fits `{ shops: ShopView[] }`. This checker finds
 * every `define…Actions({ … })` call (the definer imported from a `schemas` module), takes each action's handler
 * result (awaited) and the contract output its `ActionDefinition` names, and walks both: each property of the
 * result must be a property of the output (of some member of a union; of the element of an array; any key where
 * the output has an index signature). It stops at primitives, `unknown` and `any` (TypeScript checked those), so a
 * `Date` where the contract says `string` passes.
 */
import path from 'node:path';
import ts from 'typescript';

export interface OutputProblem {
  /** Relative to the checked root, `/`-separated. */
  file: string;
  line: number;
  action: string;
  /** Paths of the fields the contract output does not name: `count`, `shops[].extra`. */
  fields: string[];
}

export interface OutputCheck {
  actions: number;
  problems: OutputProblem[];
  /** Actions whose handler result or contract output the checker could not find (a definer it does not know). */
  unresolved: Omit<OutputProblem, 'fields'>[];
}

/** Deeper than any contract output; guards against types that unfold without end. */
const MAX_DEPTH = 16;
const DEFINER = /^define\w*Actions$/;
const NOT_SENT = ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.Never;
const ACCEPTS_ANY = ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.NonPrimitive;

const toPosix = (p: string): string => p.split(path.sep).join('/');

/** A tsconfig's root files and compiler options. */
export function readTsconfig(tsconfigPath: string): { fileNames: string[]; options: ts.CompilerOptions } {
  const configDir = path.dirname(path.resolve(tsconfigPath));
  const read = ts.readConfigFile(tsconfigPath, (file) => ts.sys.readFile(file));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, configDir, { noEmit: true });
  return { fileNames: parsed.fileNames, options: parsed.options };
}

/** Checks every action defined in the program's own files (not declaration files, not node_modules). */
export function checkContractOutputs(program: ts.Program, root: string): OutputCheck {
  const checker = program.getTypeChecker();
  const result: OutputCheck = { actions: 0, problems: [], unresolved: [] };
  const ids = new Map<ts.Type, number>();
  const idOf = (type: ts.Type): number => {
    let id = ids.get(type);
    if (id === undefined) ids.set(type, (id = ids.size + 1));
    return id;
  };

  /** The members a value of this type can be, without the ones JSON does not send. */
  const members = (type: ts.Type): ts.Type[] =>
    (type.isUnion() ? type.types : [type]).filter((t) => !(t.flags & NOT_SENT));

  const isPrimitiveLike = (type: ts.Type): boolean =>
    !(type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) ||
    (type.isIntersection() && type.types.some(isPrimitiveLike));

  const isArrayLike = (type: ts.Type): type is ts.TypeReference =>
    checker.isArrayType(type) || checker.isTupleType(type);

  const isOpaque = (type: ts.Type): boolean => {
    const symbol = type.getSymbol();
    if (symbol?.getName() === 'Date') return true;
    // A function never reaches JSON.
    return checker.getPropertiesOfType(type).length === 0 && type.getCallSignatures().length > 0;
  };

  /**
   * The fields of `returned` that no type of `contract` names, as paths under `at`. `walking` holds the pairs of
   * types being compared further up, so a recursive type is walked once.
   */
  function outside(
    returned: ts.Type,
    contract: ts.Type[],
    at: string,
    depth: number,
    walking: Set<string>,
  ): string[] {
    if (depth > MAX_DEPTH) return [];
    const alternatives = contract.flatMap(members);
    if (alternatives.some((t) => t.flags & ACCEPTS_ANY)) return [];
    const objects = alternatives.filter((t) => !isPrimitiveLike(t));
    if (objects.length === 0) return [];
    const found: string[] = [];
    for (const value of members(returned)) {
      if (isPrimitiveLike(value) || isOpaque(value) || objects.includes(value)) continue;
      const key = `${idOf(value)}:${objects.map(idOf).join(',')}`;
      if (walking.has(key)) continue;
      walking.add(key);
      if (isArrayLike(value)) {
        const elements = objects.filter(isArrayLike).flatMap((t) => checker.getTypeArguments(t));
        for (const element of checker.getTypeArguments(value))
          found.push(...outside(element, elements, `${at}[]`, depth + 1, walking));
      } else {
        for (const property of checker.getPropertiesOfType(value)) {
          const type = checker.getTypeOfSymbol(property);
          if (members(type).length === 0) continue;
          const name = property.getName();
          const field = at ? `${at}.${name}` : name;
          const named = objects.flatMap((t) => {
            const own = t.getProperty(name);
            if (own) return [checker.getTypeOfSymbol(own)];
            return checker.getIndexInfosOfType(t).map((info) => info.type);
          });
          if (named.length === 0) found.push(field);
          else found.push(...outside(type, named, field, depth + 1, walking));
        }
        // A returned record (`{ [id]: … }`): any key, so the contract must take any key too.
        for (const info of checker.getIndexInfosOfType(value)) {
          const field = `${at}[key]`;
          const named = objects.flatMap((t) => checker.getIndexInfosOfType(t).map((i) => i.type));
          if (named.length === 0) found.push(field);
          else found.push(...outside(info.type, named, field, depth + 1, walking));
        }
      }
      walking.delete(key);
    }
    return [...new Set(found)];
  }

  /** `D['output']` of the `ActionDefinition<S, D>` an action is checked against. */
  function contractOutput(definition: ts.Type): ts.Type | undefined {
    const args =
      definition.flags & ts.TypeFlags.Object &&
      (definition as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference
        ? checker.getTypeArguments(definition as ts.TypeReference)
        : (definition.aliasTypeArguments ?? []);
    // `D`, the contract entry `{ input; output }`, is the last type argument that looks like one.
    const entry = [...args].reverse().find((t) => t.getProperty('input') && t.getProperty('output'));
    const output = entry?.getProperty('output');
    return output && checker.getTypeOfSymbol(output);
  }

  /** What a handler's promise resolves to. */
  function handlerResult(action: ts.Type): ts.Type | undefined {
    const handler = action.getProperty('handler');
    if (!handler) return undefined;
    const signature = checker.getTypeOfSymbol(handler).getCallSignatures()[0];
    if (!signature) return undefined;
    const returned = signature.getReturnType();
    return checker.getAwaitedType(returned) ?? returned;
  }

  /** Whether the callee is a `define…Actions` from a `schemas` module. */
  function isDefiner(callee: ts.Expression): boolean {
    if (!ts.isIdentifier(callee) || !DEFINER.test(callee.text)) return false;
    let symbol = checker.getSymbolAtLocation(callee);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
    return file !== undefined && path.basename(file, path.extname(file)) === 'schemas';
  }

  function checkCall(call: ts.CallExpression): void {
    const argument = call.arguments[0];
    const signature = checker.getResolvedSignature(call);
    const parameter = signature?.getParameters()[0];
    if (!argument || !parameter) return;
    const expected = checker.getTypeOfSymbol(parameter);
    for (const action of checker.getPropertiesOfType(checker.getTypeAtLocation(argument))) {
      const name = action.getName();
      const definition = expected.getProperty(name);
      const output = definition && contractOutput(checker.getTypeOfSymbol(definition));
      const returned = handlerResult(checker.getTypeOfSymbol(action));
      const declaration = action.valueDeclaration ?? action.declarations?.[0] ?? argument;
      const source = declaration.getSourceFile();
      result.actions += 1;
      const where = {
        file: toPosix(path.relative(root, source.fileName)),
        line: source.getLineAndCharacterOfPosition(declaration.getStart()).line + 1,
        action: name,
      };
      if (!output || !returned) {
        result.unresolved.push(where);
        continue;
      }
      const fields = outside(returned, [output], '', 0, new Set());
      if (fields.length > 0) result.problems.push({ ...where, fields });
    }
  }

  for (const source of program.getSourceFiles()) {
    if (source.isDeclarationFile || program.isSourceFileFromExternalLibrary(source)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isDefiner(node.expression)) checkCall(node);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return result;
}

export const describeOutputProblem = (p: OutputProblem): string =>
  `${p.file}:${p.line}: action '${p.action}' returns ${p.fields.length === 1 ? 'a field' : 'fields'} the contract output does not name: ${p.fields.join(', ')}`;

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const functions = path.join(root, 'cloudfunctions') + path.sep;
  const { fileNames, options } = readTsconfig(path.join(root, 'tsconfig.node.json'));
  // Only the cloud functions' files as roots (what they import comes along): the scripts and the emulator
  // define no actions, and the checker asks only for the types it walks.
  const program = ts.createProgram(
    fileNames.filter((file) => path.resolve(file).startsWith(functions)),
    options,
  );
  const { actions, problems, unresolved } = checkContractOutputs(program, root);
  for (const problem of problems) console.error(describeOutputProblem(problem));
  for (const u of unresolved)
    console.error(`${u.file}:${u.line}: action '${u.action}': no handler result or contract output found`);
  if (actions === 0) console.error('contract outputs: no define…Actions call found under cloudfunctions/');
  if (problems.length > 0 || unresolved.length > 0 || actions === 0) {
    console.error(
      `contract outputs: ${problems.length + unresolved.length} of ${actions} actions failed the check`,
    );
    process.exitCode = 1;
  } else {
    console.log(`contract outputs: ${actions} actions checked, no field outside the contract`);
  }
}
