// Where the interpreter snapshot lives: one Cache Storage entry per Pyodide version.
import { version } from "./vendor/pyodide/pyodide.mjs";

export const INDEX_URL = new URL("./vendor/pyodide/", import.meta.url).href;
export const SNAPSHOT_CACHE = `lk-snapshot-${version}`;
export const SNAPSHOT_KEY = new URL(`interpreter-${version}.snapshot`, INDEX_URL).href;
