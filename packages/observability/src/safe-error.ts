/**
 * What a log line may say about an error. A database error carries the statement and its parameters
 * (drizzle's message is `Failed query: <sql> params: <values>`, postgres.js keeps `query` and `parameters`,
 * PostgreSQL's own message and detail quote the offending value: `invalid input syntax for type uuid:
 * "Dupont"`, `Key (email)=(…) already exists`). Those values are names and what people said, so a database
 * error is logged by its class and coordinates only (SQLSTATE, constraint, table, column, routine) and its
 * stack frames without the message; other errors keep their message. Applied to every `err` of every logger.
 */
export interface SafeError {
  type: string;
  message?: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  routine?: string;
  stack?: string;
  cause?: SafeError;
}

const databaseErrorNames = new Set(['PostgresError', 'DrizzleQueryError', 'DatabaseError', 'QueryFailedError']);
const sqlState = /^[0-9A-Z]{5}$/;

function isDatabaseError(error: Record<string, unknown>, name: string): boolean {
  return (
    databaseErrorNames.has(name) ||
    'query' in error ||
    'parameters' in error ||
    'params' in error ||
    (typeof error.code === 'string' && sqlState.test(error.code) && 'severity' in error)
  );
}

const textOf = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The stack's frames (`    at …` lines) without the message above them. */
function framesOf(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((line) => line.trimStart().startsWith('at '));
  return frames.length > 0 ? frames.join('\n') : undefined;
}

export function safeErrorOf(error: unknown, depth = 0): SafeError {
  if (typeof error === 'string') {
    // A message already taken off its error: kept unless it quotes a statement.
    return /failed query|params:|insert into|update |select /i.test(error)
      ? { type: 'string', message: '[database message withheld]' }
      : { type: 'string', message: error };
  }
  if (typeof error !== 'object' || error === null) return { type: typeof error };
  const fields = error as Record<string, unknown>;
  const type =
    (error as Error).constructor?.name && (error as Error).constructor.name !== 'Object'
      ? (error as Error).constructor.name
      : (textOf(fields.name) ?? 'Error');
  const name = textOf(fields.name) ?? type;
  const database = isDatabaseError(fields, name);
  const safe: SafeError = { type };
  if (!database) {
    const message = textOf(fields.message);
    if (message) safe.message = message;
  }
  const code = textOf(fields.code);
  if (code) safe.code = code;
  const coordinates = {
    constraint: fields.constraint_name ?? fields.constraint,
    table: fields.table_name ?? fields.table,
    column: fields.column_name ?? fields.column,
    routine: fields.routine,
  };
  for (const [key, value] of Object.entries(coordinates)) {
    const text = textOf(value);
    if (text) safe[key as 'constraint'] = text;
  }
  const stack = database ? framesOf(fields.stack) : textOf(fields.stack);
  if (stack) safe.stack = stack;
  if (fields.cause !== undefined && depth < 3) {
    safe.cause = safeErrorOf(fields.cause, depth + 1);
    // A query builder's error wraps the driver's: its coordinates are the ones worth reading first.
    for (const key of ['code', 'constraint', 'table', 'column'] as const) {
      const value = safe.cause[key];
      if (safe[key] === undefined && value !== undefined) safe[key] = value;
    }
  }
  return safe;
}

/** One line for an error kept in a table an admin reads (job failures, a mail's last error): the same rule as logs. */
export function safeErrorText(error: unknown): string {
  const safe = safeErrorOf(error);
  const where = [safe.code, safe.constraint, safe.table, safe.column].filter(Boolean).join(' ');
  return [safe.type === 'string' ? '' : `${safe.type}:`, safe.message ?? '', where ? `(${where})` : ''].filter(Boolean).join(' ');
}
