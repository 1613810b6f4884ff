import { syntaxErrorProblems } from "../../config/load-error";

describe("syntax errors in loaded files", () => {
  it("turns a tsx transform error into one line with file, line and column", () => {
    const error = new Error(
      'Transform failed with 1 error:\n/repo/config/environments/dev.ts:13:24: ERROR: Expected "}" but found "x"',
    );
    expect(syntaxErrorProblems(error, "/repo")).toEqual([
      'config/environments/dev.ts:13:25: syntax error: Expected "}" but found "x"; correct the file and synthesize again',
    ]);
  });

  it("turns a Node SyntaxError into a line with file and line", () => {
    const error = new SyntaxError("Unexpected token ','");
    error.stack = "/repo/dist/app.js:7\n  a,,\n   ^\n\nSyntaxError: Unexpected token ','";
    expect(syntaxErrorProblems(error, "/repo")).toEqual([
      "dist/app.js:7: syntax error: Unexpected token ','; correct the file and synthesize again",
    ]);
  });

  it("leaves other errors alone", () => {
    expect(syntaxErrorProblems(new Error("Network: azCount 4"), "/repo")).toEqual([]);
    expect(syntaxErrorProblems("text", "/repo")).toEqual([]);
  });
});
