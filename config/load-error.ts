/**
 * A syntax error in a file the app loads (an environment file, most likely) as problem lines,
 * each naming the file, line and column; empty when `error` is something else. It imports
 * nothing, so that `main.ts` can load it even when the files it would report on cannot load.
 *
 * tsx (esbuild) reports "Transform failed with N error(s):\n<file>:<line>:<col>: ERROR: <text>";
 * plain Node reports a SyntaxError whose stack starts with "<file>:<line>". The bundling app
 * command (scripts/app.mjs) prints esbuild's build errors in the same form.
 */
export function syntaxErrorProblems(error: unknown, cwd: string): string[] {
  if (!(error instanceof Error)) return [];
  const relative = (file: string) =>
    file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
  const found = [...error.message.matchAll(/^(.+?):(\d+):(\d+): ERROR: (.+)$/gm)];
  if (found.length) {
    // esbuild counts columns from 0; editors, and this message, from 1.
    return found.map(
      ([, file, line, column, text]) =>
        `${relative(file)}:${line}:${Number(column) + 1}: syntax error: ${text}; correct the file and synthesize again`,
    );
  }
  if (error.name === "SyntaxError") {
    const where = /^(\/.+?):(\d+)$/m.exec(error.stack ?? "");
    if (where) {
      return [
        `${relative(where[1])}:${where[2]}: syntax error: ${error.message}; correct the file and synthesize again`,
      ];
    }
  }
  return [];
}
