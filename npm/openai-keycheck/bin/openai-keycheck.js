#!/usr/bin/env node
// openai-keycheck on npm: runs the native binary from the platform package
// that npm installed beside this one (an optional dependency per platform,
// each limited by os, cpu and libc, so npm installs only the one that fits),
// or the binary that OPENAI_KEYCHECK_BINARY names. Nothing is downloaded,
// neither at install time nor here.
//
// Plain CommonJS with no dependencies, in the JavaScript of Node 6 (var,
// no arrow functions, no ?. or ??): package.json's engines is the oldest
// Node it was run on.
'use strict';

var fs = require('fs');
var path = require('path');
var os = require('os');
var childProcess = require('child_process');

var manifest = require('../package.json');

var SCOPE = '@openai-keycheck/';
var ENV = 'OPENAI_KEYCHECK_BINARY';
var HELP = 'https://github.com/openai-keycheck/openai-keycheck#install-and-run';
// Nothing ran: the binary's own code for a usage error.
var LAUNCH_FAILED = 2;

// Paths and values in messages are JSON-quoted, so that control characters
// in them cannot drive the terminal.
function quote(value) {
  return JSON.stringify(String(value));
}

function fail(lines) {
  process.stderr.write('openai-keycheck: ' + lines.join('\n') + '\n');
  process.exit(LAUNCH_FAILED);
}

// The C library, tested as npm tests it to pick the package that fits
// (npm-install-checks' lib/current-env.js; napi-rs loaders such as oxlint's
// do the same): the text of /usr/bin/ldd first (0.1 ms), then, where that
// file is missing or names neither (distroless images), Node's diagnostic
// report (about 10 ms): glibc's version in its header, or a musl loader
// among the shared objects.
function linuxLibc() {
  try {
    var ldd = fs.readFileSync('/usr/bin/ldd', 'latin1');
    if (ldd.indexOf('musl') !== -1) return 'musl';
    if (ldd.indexOf('GNU C Library') !== -1) return 'glibc';
  } catch (e) {
    // No ldd: ask the report.
  }
  try {
    // Node 20.13+: skips the network interfaces, the report's slow part.
    process.report.excludeNetwork = true;
    var report = process.report.getReport();
    if (typeof report === 'string') report = JSON.parse(report);
    if (report.header && report.header.glibcVersionRuntime) return 'glibc';
    var musl = (report.sharedObjects || []).some(function (file) {
      return /libc\.musl-|ld-musl-/.test(file);
    });
    if (musl) return 'musl';
  } catch (e) {
    // No report (Node before 12.17 without a flag): unknown.
  }
  return null;
}

function platformName(libc) {
  var name = process.platform + ' ' + process.arch;
  if (process.platform !== 'linux') return name;
  return name + ' (' + (libc || 'C library unknown: neither /usr/bin/ldd nor Node\'s report names glibc or musl') + ')';
}

// The packages that can serve here, best first. The musl builds are static
// and run on glibc too, so one serves when it is all that was installed.
function wanted(libc) {
  var base = process.platform + '-' + process.arch;
  if (process.platform !== 'linux') return [base];
  if (libc === 'musl') return [base + '-musl'];
  return [base + '-gnu', base + '-musl'];
}

function locate(pkg) {
  try {
    return path.dirname(require.resolve(pkg + '/package.json'));
  } catch (e) {
    return null;
  }
}

function missing(names, libc) {
  var published = Object.keys(manifest.optionalDependencies || {});
  var fitting = names.map(function (name) { return SCOPE + name; }).filter(function (pkg) {
    return published.indexOf(pkg) !== -1;
  });
  var lines = ['no binary for this platform, ' + platformName(libc) + '.'];
  var elsewhere = 'install openai-keycheck another way (pipx install openai-keycheck, uv tool install openai-keycheck, ' +
    'cargo install openai-keycheck, or a binary from the GitHub release) and set ' + ENV + ' to its path.';
  if (fitting.length === 0) {
    lines.push('openai-keycheck publishes none for it on npm (only for ' + published.map(function (pkg) {
      return pkg.slice(SCOPE.length);
    }).join(', ') + '): ' + elsewhere);
  } else {
    lines.push('It comes in ' + fitting[0] + ', an optional dependency of openai-keycheck ' + manifest.version + ', which is not installed.');
    // esbuild's check: node_modules made on one system and used on another.
    var others = published.filter(function (pkg) { return fitting.indexOf(pkg) === -1 && locate(pkg); });
    if (others.length) {
      lines.push(others.join(' and ') + ' is installed instead: node_modules was installed for another system ' +
        '(copied into a container, or shared between Windows and WSL?). Run npm install or npm ci on this one.');
    }
    lines.push('- Optional dependencies were perhaps left out (--omit=optional, --no-optional, omit=optional in .npmrc, ' +
      'npm_config_omit): install again without that.');
    lines.push('- A package-lock.json written on another platform can lack it (npm/cli#4828): ' +
      'remove node_modules and package-lock.json, then npm install.');
    lines.push('- Or ' + elsewhere);
  }
  lines.push('See ' + HELP);
  fail(lines);
}

function fromEnvironment(value) {
  // Relative to the working directory, never looked up in PATH, where npm
  // puts this launcher under the same name.
  var file = path.resolve(value);
  var real = null;
  try {
    real = fs.realpathSync(file);
  } catch (e) {
    // Reported when it fails to start.
  }
  if (real !== null && real === fs.realpathSync(__filename)) {
    fail([ENV + ' names this launcher (' + quote(value) + '), which would start itself again: set it to the binary, or unset it.']);
  }
  return { file: file, origin: ENV, hint: 'Point ' + ENV + ' at an openai-keycheck binary, or unset it to use the npm package.' };
}

function fromPackage() {
  var libc = process.platform === 'linux' ? linuxLibc() : null;
  var names = wanted(libc);
  for (var i = 0; i < names.length; i++) {
    var pkg = SCOPE + names[i];
    var dir = locate(pkg);
    if (dir === null) continue;
    var version = require(pkg + '/package.json').version;
    if (version !== manifest.version) {
      process.stderr.write('openai-keycheck: warning: the launcher of ' + manifest.version + ' runs ' + pkg + ' ' + version +
        '; reinstall openai-keycheck to bring them together.\n');
    }
    return {
      file: path.join(dir, process.platform === 'win32' ? 'openai-keycheck.exe' : 'openai-keycheck'),
      origin: pkg + ' ' + version,
      hint: 'Reinstall openai-keycheck (remove node_modules, then npm install), or set ' + ENV + ' to a binary that runs here.',
    };
  }
  return missing(names, libc);
}

function cannotRun(target, err) {
  var code = err && err.code;
  var why;
  if (code === 'ENOENT') {
    why = fs.existsSync(target.file)
      ? 'the file is there, but the loader or interpreter it names is not (a glibc build fails so on a musl system such as Alpine; linux-x64-musl is the build for those)'
      : 'no such file';
  } else if (code === 'EACCES') {
    why = 'permission denied (a folder, no executable bit, or a file system mounted noexec)';
  } else if (code === 'ENOEXEC') {
    why = 'not a program this system can run (exec format error: built for another CPU or system)';
  } else {
    why = (code ? code + ': ' : '') + ((err && err.message) || String(err));
  }
  fail(['cannot run ' + quote(target.file) + ' (from ' + target.origin + '): ' + why + '.', target.hint]);
}

// Die of the signal the binary died of, so that the shell, `timeout` or a CI
// runner sees the same end. Node ignores SIGPIPE and keeps SIGUSR1 for its
// inspector: a listener added and removed gives a signal its default action
// back (libuv restores SIG_DFL), then the launcher sends it to itself.
function dieOf(signal) {
  if (process.platform !== 'win32') {
    try {
      var noop = function () {};
      process.on(signal, noop);
      process.removeListener(signal, noop);
    } catch (e) {
      // SIGKILL and SIGSTOP take no listener, and need none.
    }
    try {
      process.kill(process.pid, signal);
    } catch (e) {
      // Falls through to the exit code below.
    }
  }
  // Still alive (Windows): the shell's code for a death by that signal.
  var number = ((os.constants || {}).signals || {})[signal];
  setTimeout(function () {
    process.exit(number ? 128 + number : 1);
  }, 100);
}

function run(target) {
  var child;
  try {
    child = childProcess.spawn(target.file, process.argv.slice(2), { stdio: 'inherit' });
  } catch (e) {
    return cannotRun(target, e);
  }
  child.on('error', function (e) {
    cannotRun(target, e);
  });

  // A signal sent to the launcher alone (kill, `timeout`, a CI runner
  // cancelling a job) goes on to the binary, whose end then decides the
  // launcher's. Ctrl-C from a terminal reaches both already; a second
  // SIGINT is harmless to it. On Windows, Ctrl-C reaches every process of
  // the console, and Node could only forward it as a hard kill: the
  // launcher ignores it and waits for the binary.
  var forwarded = process.platform === 'win32' ? [] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  var handlers = {};
  forwarded.forEach(function (signal) {
    handlers[signal] = function () {
      child.kill(signal);
    };
    process.on(signal, handlers[signal]);
  });
  if (process.platform === 'win32') {
    process.on('SIGINT', function () {});
  }

  child.on('exit', function (code, signal) {
    forwarded.forEach(function (s) {
      process.removeListener(s, handlers[s]);
    });
    if (signal) dieOf(signal);
    else process.exit(code);
  });
}

var value = process.env[ENV];
run(value ? fromEnvironment(value) : fromPackage());
