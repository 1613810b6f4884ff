// Single-file builds of the libraries every spec file loads, for jest (see jest.config.js).
//
// Jest gives each spec file its own module registry, so every file loads cdktf (373 modules) and
// zod (95) again through jest's require, which costs far more per module than node's. One file
// each loads in a fraction of that. A profile of `npm test` also showed a fifth of its time in
// cdktf's token creation stacks: every token captures the whole call stack, and under jest each
// capture runs source-map-support over every frame. The build keeps the capture but leaves the
// frames unformatted until a message needs them; these stacks only decorate token errors.
//
// Built with esbuild in about a second when missing, into .gen/ under a key of the libraries'
// versions, esbuild's and this file's contents; written under a temporary name and renamed, so
// that parallel jest runs never read a half-written bundle.
const { createHash } = require("node:crypto");
const { existsSync, mkdirSync, readFileSync, renameSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const gen = join(root, ".gen");

const version = (name) =>
  JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version;

/**
 * cdktf's stack capture, keeping V8's call sites unformatted: each formats itself (as node
 * would) when a token error message joins them.
 */
const PLAIN_STACK_TRACE = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.captureStackTrace = function captureStackTrace(below) {
  below = below || captureStackTrace;
  const object = {};
  const previousLimit = Error.stackTraceLimit;
  const previousPrepare = Error.prepareStackTrace;
  try {
    Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
    Error.prepareStackTrace = (_, frames) => frames;
    Error.captureStackTrace(object, below);
    return object.stack || [];
  } finally {
    Error.stackTraceLimit = previousLimit;
    Error.prepareStackTrace = previousPrepare;
  }
};
`;

const plainStackTrace = {
  name: "plain-stack-trace",
  setup(build) {
    build.onLoad({ filter: /cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/ }, () => ({
      contents: PLAIN_STACK_TRACE,
      loader: "js",
    }));
  },
};

const LIBRARIES = {
  cdktf: { entry: "cdktf/lib/index.js", external: ["constructs"], plugins: [plainStackTrace] },
  zod: { entry: "zod", external: [], plugins: [] },
};

/** `{ "^cdktf$": "<path of its bundle>", ... }` for jest's moduleNameMapper; builds what is missing. */
async function testBundles() {
  const esbuild = require("esbuild");
  const self = readFileSync(__filename);
  const mapper = {};
  for (const [name, lib] of Object.entries(LIBRARIES)) {
    const key = createHash("sha256")
      .update(`${name}@${version(name)} esbuild@${esbuild.version}`)
      .update(self)
      .digest("hex")
      .slice(0, 16);
    const file = join(gen, `test-${name}-${key}.js`);
    if (!existsSync(file)) {
      mkdirSync(gen, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await esbuild.build({
        absWorkingDir: root,
        entryPoints: [require.resolve(lib.entry, { paths: [root] })],
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        external: lib.external,
        plugins: lib.plugins,
        // Less source to parse in every spec file; names stay for stack traces.
        minifyWhitespace: true,
        minifySyntax: true,
        outfile: temporary,
        logLevel: "error",
      });
      renameSync(temporary, file);
    }
    mapper[`^${name}$`] = file;
  }
  return mapper;
}

module.exports = { testBundles };
