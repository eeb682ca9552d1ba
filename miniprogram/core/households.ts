/**
 * Reading a household spreadsheet (CSV or the rows of an xlsx sheet): one row per member, grouped into
 * families by household number. Pure: validates every row and reports each problem with its row number, so an
 * import either takes the whole sheet or nothing.
 */

/** The columns, by their Chinese header, as cadres fill them in. */
export const HOUSEHOLD_COLUMNS = {
  household: '户号',
  group: '村民小组',
  name: '姓名',
  relation: '与户主关系',
  party: '是否党员',
  address: '住址',
} as const;

export interface HouseholdMember {
  name: string;
  relation: string;
  partyMember: boolean;
}

export interface Household {
  /** The household number as written in the sheet (unique within the village). */
  number: string;
  groupName: string;
  address: string;
  headName: string;
  members: HouseholdMember[];
}

export interface RowProblem {
  /** 1-based row number in the sheet, counting the header as row 1. */
  row: number;
  message: string;
}

const YES = new Set(['是', '党员', 'Y', 'y', 'yes', '1', 'TRUE', 'true']);
const NO = new Set(['', '否', '群众', 'N', 'n', 'no', '0', 'FALSE', 'false']);

/** Splits CSV text into rows (RFC 4180 quoting; a UTF-8 BOM and CRLF line ends are fine). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const input = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i += 1) {
    const ch = input[i];
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && input[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

/**
 * Turns a sheet's rows (header first) into households. Returns the households only when every row is valid;
 * otherwise the problems, each naming its row.
 */
export function readHouseholds(
  table: readonly (readonly string[])[],
  knownGroups: readonly string[],
): { households: Household[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const header = (table[0] ?? []).map((h) => h.trim());
  const col = (name: string) => header.indexOf(name);
  const missing = Object.values(HOUSEHOLD_COLUMNS).filter(
    (name) => name !== HOUSEHOLD_COLUMNS.address && col(name) < 0,
  );
  if (missing.length > 0) {
    return { households: [], problems: [{ row: 1, message: `表头缺少列：${missing.join('、')}` }] };
  }
  if (table.length < 2) return { households: [], problems: [{ row: 1, message: '表格中没有成员数据' }] };

  const byNumber = new Map<string, Household>();
  table.slice(1).forEach((cells, index) => {
    const row = index + 2;
    const cell = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : '');
    const number = cell(HOUSEHOLD_COLUMNS.household);
    const groupName = cell(HOUSEHOLD_COLUMNS.group);
    const name = cell(HOUSEHOLD_COLUMNS.name);
    const relation = cell(HOUSEHOLD_COLUMNS.relation);
    const party = cell(HOUSEHOLD_COLUMNS.party);
    const rowProblems: string[] = [];
    if (!number) rowProblems.push('户号为空');
    if (!name) rowProblems.push('姓名为空');
    else if (Array.from(name).length > 20) rowProblems.push('姓名过长');
    if (!relation) rowProblems.push('与户主关系为空');
    if (!knownGroups.includes(groupName)) rowProblems.push(`村民小组“${groupName}”不存在`);
    if (!YES.has(party) && !NO.has(party)) rowProblems.push(`是否党员应填“是”或“否”，而不是“${party}”`);
    if (rowProblems.length > 0) {
      problems.push({ row, message: rowProblems.join('；') });
      return;
    }
    let household = byNumber.get(number);
    if (!household) {
      household = { number, groupName, address: cell(HOUSEHOLD_COLUMNS.address), headName: '', members: [] };
      byNumber.set(number, household);
    } else if (household.groupName !== groupName) {
      problems.push({ row, message: `户号${number}的成员分属不同村民小组` });
      return;
    }
    if (relation === '户主') {
      if (household.headName) {
        problems.push({ row, message: `户号${number}有两位户主` });
        return;
      }
      household.headName = name;
    }
    household.members.push({ name, relation, partyMember: YES.has(party) });
  });
  for (const household of byNumber.values()) {
    if (!household.headName) problems.push({ row: 1, message: `户号${household.number}没有户主` });
  }
  return problems.length > 0
    ? { households: [], problems }
    : { households: [...byNumber.values()], problems: [] };
}
