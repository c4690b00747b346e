// Shared helpers for the browser tests: build a site with the real binary, serve it over
// loopback under its base path, and drive Debian's Chromium with playwright-core.

import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, statSync, existsSync, cpSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, normalize, resolve } from "node:path";
import { chromium } from "playwright-core";

export const repo = resolve(import.meta.dirname, "../..");

/** The lectern binary: LECTERN_BIN, else the debug build (built on demand). */
export function lecternBin() {
  if (process.env.LECTERN_BIN) return process.env.LECTERN_BIN;
  const bin = join(repo, "target/debug/lectern");
  const built = spawnSync("cargo", ["build", "--quiet"], { cwd: repo, stdio: "inherit" });
  if (built.status !== 0) throw new Error("cargo build failed");
  return bin;
}

const madeDirs = [];
// Each test file runs in a process of its own; its temp folders go when it ends.
process.on("exit", () => {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
});

/** A new temp folder, removed when the test process exits. */
export function tempDir(prefix = "lectern-browser-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

/** Copies a fixture site (or the showcase when name is null) into a temp folder. */
export function copySite(name) {
  const dir = tempDir();
  if (name === null) {
    for (const part of ["site.toml", "content", "static", "themes"]) {
      const src = join(repo, part);
      if (existsSync(src)) cpSync(src, join(dir, part), { recursive: true });
    }
  } else {
    cpSync(join(repo, "tests/fixtures", name), dir, { recursive: true });
  }
  return dir;
}

/** Builds `root` with `basePath` (e.g. "/course/") into root/public; returns the output dir. */
export function buildSite(root, basePath, extra = []) {
  const out = join(root, "public");
  const r = spawnSync(lecternBin(), ["build", "--root", root, "--output", out, "--base-url", `http://127.0.0.1${basePath}`, ...extra], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`lectern build failed:\n${r.stderr}`);
  return out;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".gz": "application/gzip",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

/**
 * Serves `dir` under `basePath` on 127.0.0.1 (a free port). Records every request's path and
 * response size so tests can assert what a page fetched.
 */
export async function serveStatic(dir, basePath) {
  const log = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    let path = decodeURIComponent(url.pathname);
    if (!path.startsWith(basePath)) {
      res.writeHead(404).end();
      return;
    }
    path = normalize(path.slice(basePath.length)).replace(/^(\.\.[/\\])+/, "");
    let file = join(dir, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      const body = readFileSync(join(dir, "404.html"));
      res.writeHead(404, { "content-type": TYPES[".html"] }).end(body);
      log.push({ path: url.pathname, status: 404, bytes: body.length });
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" }).end(body);
    log.push({ path: url.pathname, status: 200, bytes: body.length });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, url: (p = "") => `${origin}${basePath}${p}`, log, close: () => new Promise((ok) => server.close(ok)) };
}

/** Launches Debian's Chromium headless. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}
