/**
 * Imported first by `bot/main.ts`. restify 11 loads spdy, whose http-deceiver reads
 * `process.binding('http_parser')` when it is loaded (Node's DEP0111) although Stratus never uses
 * spdy: that one warning is dropped so it does not greet every start; every other warning passes.
 */
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  const code = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: string }).code : rest[1];
  if (code === 'DEP0111' && text.includes("process.binding('http_parser')")) return;
  (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
