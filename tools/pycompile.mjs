// Compile the wheels in IN_DIR to Python 3.14 bytecode with Pyodide itself (in Node), so the
// browser imports .pyc files instead of compiling every module on every page load.
// Usage: node tools/pycompile.mjs PYODIDE_DIR IN_DIR OUT_DIR
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
import path from "node:path";

const [pyodideDir, inDir, outDir] = process.argv.slice(2).map((p) => path.resolve(p));
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep });
for (const [dir, mount] of [[inDir, "/in"], [outDir, "/out"]]) {
  pyodide.FS.mkdirTree(mount);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: dir }, mount);
}
const script = readFileSync(new URL("./pycompile_wheels.py", import.meta.url), "utf8");
pyodide.runPython(script);
