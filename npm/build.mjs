#!/usr/bin/env node
// Builds the npm packages of openai-keycheck, ready for `npm pack` or
// `npm publish`: the root package `openai-keycheck` (the launcher, from
// npm/openai-keycheck/) and one `@openai-keycheck/<platform>` package per
// binary given. No dependencies; Node 14.21 or newer.
//
//   node npm/build.mjs --out DIR [--version V] [--binary TRIPLE=PATH]...
//
//   --out DIR              where to write; DIR/openai-keycheck/ and
//                          DIR/<platform>/ are replaced if they exist.
//   --version V            the version of every package written; default:
//                          the `[package] version` of ../Cargo.toml.
//   --binary TRIPLE=PATH   a release binary and its Rust target triple, once
//                          per platform (none: the root package alone):
//       x86_64-unknown-linux-gnu   -> @openai-keycheck/linux-x64-gnu
//       aarch64-unknown-linux-gnu  -> @openai-keycheck/linux-arm64-gnu
//       x86_64-unknown-linux-musl  -> @openai-keycheck/linux-x64-musl
//       x86_64-apple-darwin        -> @openai-keycheck/darwin-x64
//       aarch64-apple-darwin       -> @openai-keycheck/darwin-arm64
//       x86_64-pc-windows-msvc     -> @openai-keycheck/win32-x64
//
// It prints the folder of each package written, one a line, the root last:
// the order to publish in, so that the root never names a version that is
// not there yet.
//
//   node npm/build.mjs --out target/npm \
//     --binary x86_64-unknown-linux-gnu=dist/openai-keycheck \
//     --binary x86_64-pc-windows-msvc=dist/openai-keycheck.exe |
//     while read -r dir; do npm publish "$dir"; done
//
// The root always lists all six platform packages as optionalDependencies
// at exactly V, whichever binaries this run was given: each platform can be
// built in a job of its own. The platform list lives here and in
// npm/openai-keycheck/package.json (which the launcher reads); this script
// refuses to build when the two disagree. Each binary is checked against its
// triple (executable format, CPU, and for Linux the C library it loads), so
// an archive mixed up in a release cannot ship under another platform's name.
// The source package.json is marked private with a placeholder version so
// that only a stamped copy can be published.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const source = path.join(here, "openai-keycheck");
const LICENSES = ["LICENSE-MIT", "LICENSE-APACHE"];

const PLATFORMS = {
  "x86_64-unknown-linux-gnu": { name: "linux-x64-gnu", os: "linux", cpu: "x64", libc: "glibc" },
  "aarch64-unknown-linux-gnu": { name: "linux-arm64-gnu", os: "linux", cpu: "arm64", libc: "glibc" },
  "x86_64-unknown-linux-musl": { name: "linux-x64-musl", os: "linux", cpu: "x64", libc: "musl" },
  "x86_64-apple-darwin": { name: "darwin-x64", os: "darwin", cpu: "x64" },
  "aarch64-apple-darwin": { name: "darwin-arm64", os: "darwin", cpu: "arm64" },
  "x86_64-pc-windows-msvc": { name: "win32-x64", os: "win32", cpu: "x64" },
};
const SCOPE = "@openai-keycheck/";

class UsageError extends Error {}

function parseArgs(argv) {
  const args = { version: null, out: null, binaries: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "-h" || flag === "--help") {
      // The header comment above is the help.
      const lines = fs.readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1);
      const header = lines.slice(0, lines.findIndex((l) => !l.startsWith("//")));
      process.stdout.write(header.map((l) => l.replace(/^\/\/ ?/, "")).join("\n") + "\n");
      process.exit(0);
    }
    const [name, inline] = flag.startsWith("--") && flag.includes("=") ? [flag.slice(0, flag.indexOf("=")), flag.slice(flag.indexOf("=") + 1)] : [flag, null];
    if (!["--version", "--out", "--binary"].includes(name)) throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") throw new UsageError(`${name} needs a value`);
    if (name === "--version") args.version = value;
    else if (name === "--out") args.out = value;
    else {
      const eq = value.indexOf("=");
      if (eq < 1) throw new UsageError(`--binary takes TRIPLE=PATH, not ${JSON.stringify(value)}`);
      const triple = value.slice(0, eq);
      if (!PLATFORMS[triple]) throw new UsageError(`unknown target ${JSON.stringify(triple)}; known: ${Object.keys(PLATFORMS).join(", ")}`);
      if (args.binaries.some((b) => b.triple === triple)) throw new UsageError(`--binary ${triple} given twice`);
      args.binaries.push({ triple, file: value.slice(eq + 1) });
    }
  }
  if (!args.out) throw new UsageError("--out DIR is required");
  return args;
}

// The `version` of Cargo.toml's [package] table: a line scan suffices for
// the one form Cargo writes (`version = "x.y.z"`).
function cargoVersion() {
  const file = path.join(repo, "Cargo.toml");
  let table = null;
  for (const line of fs.readFileSync(file, "utf8").split(/\r?\n/)) {
    const header = /^\s*\[([^\]]*)\]\s*(#.*)?$/.exec(line);
    if (header) table = header[1].trim();
    else if (table === "package") {
      const m = /^\s*version\s*=\s*"([^"]*)"\s*(#.*)?$/.exec(line);
      if (m) return m[1];
    }
  }
  throw new UsageError(`no [package] version in ${file}; pass --version`);
}

// What the triple promises, read from the file's header: ELF, Mach-O
// (thin or universal) or PE, for the right CPU; a Linux binary's program
// interpreter says which C library it needs (none: statically linked).
function checkBinary(file, triple) {
  const p = PLATFORMS[triple];
  const b = fs.readFileSync(file);
  const fail = (why) => {
    throw new UsageError(`${file} is not a binary for ${triple}: ${why}`);
  };
  if (p.os === "linux") {
    if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46) fail("not an ELF file");
    if (b[4] !== 2 || b[5] !== 1) fail("not a 64-bit little-endian ELF file");
    const machine = { x64: 62, arm64: 183 }[p.cpu];
    if (b.readUInt16LE(18) !== machine) fail(`ELF machine ${b.readUInt16LE(18)}, not ${machine} (${p.cpu})`);
    const phoff = Number(b.readBigUInt64LE(32));
    const phentsize = b.readUInt16LE(54);
    let interp = null;
    for (let i = 0; i < b.readUInt16LE(56); i++) {
      const at = phoff + i * phentsize;
      if (at + 56 > b.length) fail("truncated program headers");
      if (b.readUInt32LE(at) === 3 /* PT_INTERP */) {
        const off = Number(b.readBigUInt64LE(at + 8));
        const size = Number(b.readBigUInt64LE(at + 32));
        interp = b.subarray(off, off + size).toString("latin1").replace(/\0+$/, "");
      }
    }
    if (p.libc === "glibc" && !(interp && interp.includes("ld-linux"))) fail(`it loads ${interp ?? "no interpreter (static)"}, not glibc's ld-linux`);
    if (p.libc === "musl" && interp && !interp.includes("ld-musl")) fail(`it loads ${interp}, not musl's (or none)`);
  } else if (p.os === "darwin") {
    const want = { x64: 0x01000007, arm64: 0x0100000c }[p.cpu];
    let cpus;
    if (b.length >= 8 && b.readUInt32LE(0) === 0xfeedfacf) cpus = [b.readUInt32LE(4)];
    else if (b.length >= 8 && b.readUInt32BE(0) === 0xcafebabe) {
      cpus = [];
      for (let i = 0; i < b.readUInt32BE(4) && 8 + 20 * i + 4 <= b.length; i++) cpus.push(b.readUInt32BE(8 + 20 * i));
    } else fail("not a 64-bit Mach-O file");
    if (!cpus.includes(want)) fail(`Mach-O CPU types ${cpus.map((c) => "0x" + c.toString(16)).join(", ")}, not 0x${want.toString(16)} (${p.cpu})`);
  } else {
    if (b.length < 64 || b.toString("latin1", 0, 2) !== "MZ") fail("not a PE (MZ) file");
    const pe = b.readUInt32LE(0x3c);
    if (pe + 6 > b.length || b.readUInt32BE(pe) !== 0x50450000) fail("no PE header");
    if (b.readUInt16LE(pe + 4) !== 0x8664) fail(`PE machine 0x${b.readUInt16LE(pe + 4).toString(16)}, not 0x8664 (x64)`);
  }
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function writeJson(file, value) {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
}

function fresh(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

function copyLicenses(dir) {
  for (const name of LICENSES) fs.copyFileSync(path.join(repo, name), path.join(dir, name));
}

function buildRoot(out, version) {
  const manifest = readJson(path.join(source, "package.json"));
  const listed = Object.keys(manifest.optionalDependencies || {}).sort();
  const mapped = Object.values(PLATFORMS).map((p) => SCOPE + p.name).sort();
  if (listed.join() !== mapped.join()) {
    throw new UsageError(`npm/openai-keycheck/package.json lists ${listed.join(", ")} as optionalDependencies, but build.mjs maps ${mapped.join(", ")}: make them the same`);
  }
  const dir = path.join(out, "openai-keycheck");
  fresh(dir);
  delete manifest.private;
  manifest.version = version;
  for (const name of listed) manifest.optionalDependencies[name] = version;
  for (const file of [...manifest.files, "README.md"]) {
    if (LICENSES.includes(file)) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(source, file), path.join(dir, file));
  }
  fs.chmodSync(path.join(dir, manifest.bin["openai-keycheck"]), 0o755);
  copyLicenses(dir);
  writeJson(path.join(dir, "package.json"), manifest);
  return dir;
}

function buildPlatform(out, version, triple, file) {
  const p = PLATFORMS[triple];
  const exe = p.os === "win32" ? "openai-keycheck.exe" : "openai-keycheck";
  let stat;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw new UsageError(`--binary ${triple}: cannot read ${file} (${e.code})`);
  }
  if (!stat.isFile()) throw new UsageError(`--binary ${triple}: ${file} is not a file`);
  checkBinary(file, triple);
  const dir = path.join(out, p.name);
  fresh(dir);
  fs.copyFileSync(file, path.join(dir, exe));
  fs.chmodSync(path.join(dir, exe), 0o755);
  copyLicenses(dir);
  const root = readJson(path.join(source, "package.json"));
  writeJson(path.join(dir, "package.json"), {
    name: SCOPE + p.name,
    version,
    description: `The ${p.name} binary of openai-keycheck; install openai-keycheck, which picks the one for its platform`,
    license: root.license,
    repository: root.repository,
    homepage: root.homepage,
    os: [p.os],
    cpu: [p.cpu],
    ...(p.libc ? { libc: [p.libc] } : {}),
    files: [exe, ...LICENSES],
    // Yarn's Plug'n'Play would otherwise leave the binary inside a zip.
    preferUnplugged: true,
  });
  fs.writeFileSync(
    path.join(dir, "README.md"),
    `# ${SCOPE}${p.name}\n\nThe \`${triple}\` binary of [openai-keycheck](https://www.npmjs.com/package/openai-keycheck), ` +
      `a credential doctor for the OpenAI API.\nInstall \`openai-keycheck\` rather than this package: it depends on the package for each ` +
      `platform, npm installs only the one that fits, and its launcher runs it.\n`,
  );
  return dir;
}

try {
  const args = parseArgs(process.argv.slice(2));
  const version = args.version ?? cargoVersion();
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(version)) throw new UsageError(`${JSON.stringify(version)} is not a SemVer version`);
  fs.mkdirSync(args.out, { recursive: true });
  const written = args.binaries.map(({ triple, file }) => buildPlatform(args.out, version, triple, file));
  written.push(buildRoot(args.out, version));
  for (const dir of written) process.stdout.write(dir + "\n");
} catch (e) {
  if (!(e instanceof UsageError) && !e.code) throw e;
  process.stderr.write(`npm/build.mjs: ${e.message}\n`);
  process.exit(2);
}
