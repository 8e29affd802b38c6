"""The JavaScript half of the IndexedDB backend, as one source string.

Every DBCore call crosses into JavaScript once: the helper places all requests of a
call at once and resolves one Promise with a JSON string when the last completes.
Values travel as JSON (dates, binary and non-finite numbers as tagged objects), which
is far cheaper than converting each record through proxies; the records of a
many-record answer or write travel in CPython's marshal format when they are plain
(``outMany`` / ``unmarshal``; see ``wire.py``).
"""

HELPER_JS = r"""
(() => {
  const TAG = "__lk$";
  // Original errors, kept until Python takes them (for DatabaseError.inner).
  const errs = new Map();
  let errId = 0;
  let special = false;

  function b64(bytes) {
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(s);
  }
  function unb64(s) {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function reviver(k, v) {
    if (v !== null && typeof v === "object" && v[TAG] !== undefined) {
      const t = v[TAG];
      if (t === "d") return new Date(v.v);
      if (t === "b") return unb64(v.v).buffer;
      if (t === "n") return Number(v.v);
    }
    return v;
  }
  function replacer(k, v) {
    const o = this[k];
    if (o instanceof Date) { special = true; return { [TAG]: "d", v: o.getTime() }; }
    if (o instanceof ArrayBuffer) { special = true; return { [TAG]: "b", v: b64(new Uint8Array(o)) }; }
    if (ArrayBuffer.isView(o)) {
      special = true;
      return { [TAG]: "b", v: b64(new Uint8Array(o.buffer, o.byteOffset, o.byteLength)) };
    }
    if (typeof o === "number" && !isFinite(o)) { special = true; return { [TAG]: "n", v: String(o) }; }
    return v;
  }
  function parse(s, sp) { return sp ? JSON.parse(s, reviver) : JSON.parse(s); }
  // Output: first char "1" when tagged values need reviving in Python, then JSON.
  // True when plain JSON.stringify would lose something (Date, binary, +-Infinity, NaN).
  function needsTags(x, depth) {
    if (x === null || typeof x !== "object") {
      return typeof x === "number" && !isFinite(x);
    }
    if (x instanceof Date || x instanceof ArrayBuffer || ArrayBuffer.isView(x)) return true;
    if (depth > 64) return true;
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        if ((v !== null && typeof v === "object") || typeof v === "number") {
          if (needsTags(v, depth + 1)) return true;
        }
      }
      return false;
    }
    for (const k in x) {
      const v = x[k];
      if ((v !== null && typeof v === "object") || typeof v === "number") {
        if (needsTags(v, depth + 1)) return true;
      }
    }
    return false;
  }
  // What plain JSON.stringify leaves in its text where a value needed a tag: "null"
  // (NaN, +-Infinity, an invalid Date), "{}" (ArrayBuffer, DataView, empty views),
  // '{"0":' (typed arrays) and a Date's ISO text. Text without any of these had nothing
  // to tag, so the walk over every value (needsTags) is skipped.
  const DATE_TEXT = /\d\.\d\d\dZ"/;
  function plainText(s) {
    return s.indexOf("null") === -1 && s.indexOf("{}") === -1 && s.indexOf('{"0":') === -1
      && (s.indexOf('Z"') === -1 || !DATE_TEXT.test(s));
  }
  function out(x) {
    let s;
    try { s = JSON.stringify(x); } catch (e) { s = undefined; }  // e.g. BigInt64Array
    if (s !== undefined && (plainText(s) || !needsTags(x, 0))) return "0" + s;
    special = false;
    s = JSON.stringify(x, replacer);
    return (special ? "1" : "0") + s;
  }
  // A many-record answer crosses as Python's marshal format (marker byte "m" first):
  // marshal.loads builds the dicts and lists about 2.5x faster than json.loads, and
  // nothing is encoded to text and back. Only what plain JSON would give the same
  // Python value for is written (null, booleans, numbers, strings, arrays, plain
  // objects) plus binary (bytes, as the tagged path gives); anything else (a Date, a
  // Map, a boxed value, a BigInt, deep nesting) throws NOT_PLAIN and the answer takes
  // the JSON path instead.
  const NOT_PLAIN = { notPlain: true };
  const MANY = 16;  // records in an answer from which marshal pays
  let mbuf = new ArrayBuffer(1 << 20), mu8 = new Uint8Array(mbuf), mdv = new DataView(mbuf);
  let mpos = 0, mkeys = null, mnref = 0;
  function mroom(n) {
    if (mpos + n <= mu8.length) return;
    let size = mu8.length * 2;
    while (size < mpos + n) size *= 2;
    const nb = new ArrayBuffer(size), nu8 = new Uint8Array(nb);
    nu8.set(mu8.subarray(0, mpos));
    mbuf = nb; mu8 = nu8; mdv = new DataView(nb);
  }
  function mi32(n) { mdv.setInt32(mpos, n, true); mpos += 4; }
  function mnum(x) {
    // what JSON.stringify + json.loads give: an int for an integral value below 1e21
    // (JSON writes those without an exponent), else a float (NaN/Infinity too, as tagged)
    if (Number.isInteger(x) && x < 1e21 && x > -1e21) {
      if (x >= -2147483648 && x <= 2147483647) { mroom(5); mu8[mpos++] = 0x69; mi32(x | 0); return; }
      // beyond 2**53, the int json.loads makes of JSON's shortest digits ("...552000")
      let a = BigInt(String(Math.abs(x)));
      const digits = [];
      while (a > 0n) { digits.push(Number(a & 32767n)); a >>= 15n; }
      mroom(5 + 2 * digits.length);
      mu8[mpos++] = 0x6c; mi32(x < 0 ? -digits.length : digits.length);
      for (const d of digits) { mdv.setUint16(mpos, d, true); mpos += 2; }
      return;
    }
    mroom(9); mu8[mpos++] = 0x67; mdv.setFloat64(mpos, x, true); mpos += 8;
  }
  function mstr(s, flag) {
    const n = s.length;
    mroom(5 + 3 * n);
    let ascii = true;
    for (let i = 0; i < n; i++) if (s.charCodeAt(i) > 0x7f) { ascii = false; break; }
    if (ascii) {
      if (n < 256) { mu8[mpos++] = 0x7a | flag; mu8[mpos++] = n; }
      else { mu8[mpos++] = 0x61 | flag; mi32(n); }
      for (let i = 0; i < n; i++) mu8[mpos++] = s.charCodeAt(i);
      return;
    }
    // UTF-8, lone surrogates as their own 3 bytes (marshal reads with surrogatepass,
    // as json.loads keeps the \ud800 escapes JSON.stringify writes for them)
    mu8[mpos++] = 0x75 | flag;
    const at = mpos; mpos += 4;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
      }
      if (c < 0x80) mu8[mpos++] = c;
      else if (c < 0x800) { mu8[mpos++] = 0xc0 | (c >> 6); mu8[mpos++] = 0x80 | (c & 63); }
      else if (c < 0x10000) {
        mu8[mpos++] = 0xe0 | (c >> 12); mu8[mpos++] = 0x80 | ((c >> 6) & 63); mu8[mpos++] = 0x80 | (c & 63);
      } else {
        mu8[mpos++] = 0xf0 | (c >> 18); mu8[mpos++] = 0x80 | ((c >> 12) & 63);
        mu8[mpos++] = 0x80 | ((c >> 6) & 63); mu8[mpos++] = 0x80 | (c & 63);
      }
    }
    mdv.setInt32(at, mpos - at - 4, true);
  }
  function mkey(k) {
    // each distinct key written once (flagged as a reference), then referred to
    const ref = mkeys.get(k);
    if (ref !== undefined) { mroom(5); mu8[mpos++] = 0x72; mi32(ref); return; }
    mkeys.set(k, mnref++);
    mstr(k, 0x80);
  }
  function mval(x, depth) {
    if (x === null || x === undefined) { mroom(1); mu8[mpos++] = 0x4e; return; }
    const t = typeof x;
    if (t === "string") { mstr(x, 0); return; }
    if (t === "number") { mnum(x); return; }
    if (t === "boolean") { mroom(1); mu8[mpos++] = x ? 0x54 : 0x46; return; }
    if (t !== "object" || depth > 64) throw NOT_PLAIN;
    if (Array.isArray(x)) {
      const n = x.length;
      mroom(5); mu8[mpos++] = 0x5b; mi32(n);
      for (let i = 0; i < n; i++) mval(x[i], depth + 1);
      return;
    }
    const proto = Object.getPrototypeOf(x);
    if (proto === Object.prototype) {
      mroom(1); mu8[mpos++] = 0x7b;
      for (const k of Object.keys(x)) {
        const v = x[k];
        if (v === undefined) continue;
        mkey(k);
        mval(v, depth + 1);
      }
      mroom(1); mu8[mpos++] = 0x30;
      return;
    }
    let bytes = null;
    if (x instanceof ArrayBuffer) bytes = new Uint8Array(x);
    else if (ArrayBuffer.isView(x)) bytes = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
    if (bytes === null) throw NOT_PLAIN;
    mroom(5 + bytes.length); mu8[mpos++] = 0x73; mi32(bytes.length);
    mu8.set(bytes, mpos); mpos += bytes.length;
  }
  // An answer of `n` records: marshal bytes (a copy) when plain, else the JSON text.
  function outMany(x, n) {
    if (n < MANY) return out(x);
    mpos = 0; mkeys = new Map(); mnref = 0;
    try {
      mroom(1); mu8[mpos++] = 0x6d;
      mval(x, 0);
    } catch (e) {
      if (e !== NOT_PLAIN) throw e;
      return out(x);
    } finally { mkeys = null; }
    return mu8.slice(0, mpos);
  }
  // The values of a many-record write, from marshal.dumps' bytes: what JSON.parse of
  // the JSON path would give (lists and tuples as arrays, None as null, non-finite
  // floats as such), or undefined when anything else is there (bytes, sets, complex,
  // non-string keys, one object reached twice) and the write takes the JSON path.
  const latin1 = new TextDecoder("latin1");
  const SHARED = { shared: true };
  function unmarshal(u8) {
    const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
    const refs = [];
    let pos = 0;
    const i32 = () => { const v = dv.getInt32(pos, true); pos += 4; return v; };
    function ascii(n) {
      const end = pos + n;
      if (end > u8.length) throw NOT_PLAIN;
      const s = n > 32 ? latin1.decode(u8.subarray(pos, end)) : String.fromCharCode.apply(null, u8.subarray(pos, end));
      pos = end;
      return s;
    }
    function utf8(n) {
      // surrogates marshal wrote (surrogatepass) come back as the lone code units they were
      const end = pos + n;
      if (end > u8.length) throw NOT_PLAIN;
      const units = [];
      let s = "";
      while (pos < end) {
        const b = u8[pos++];
        let c;
        if (b < 0x80) c = b;
        else if (b < 0xe0) c = ((b & 31) << 6) | (u8[pos++] & 63);
        else if (b < 0xf0) { c = ((b & 15) << 12) | ((u8[pos] & 63) << 6) | (u8[pos + 1] & 63); pos += 2; }
        else { c = ((b & 7) << 18) | ((u8[pos] & 63) << 12) | ((u8[pos + 1] & 63) << 6) | (u8[pos + 2] & 63); pos += 3; }
        if (c >= 0x10000) { c -= 0x10000; units.push(0xd800 + (c >> 10), 0xdc00 + (c & 1023)); }
        else units.push(c);
        if (units.length >= 4096) { s += String.fromCharCode.apply(null, units); units.length = 0; }
      }
      return s + String.fromCharCode.apply(null, units);
    }
    function long(n) {
      const size = Math.abs(n);
      let v;
      if (size <= 3) {
        v = 0;
        for (let i = size - 1; i >= 0; i--) v = v * 32768 + dv.getUint16(pos + 2 * i, true);
      } else {
        // rounded once, as JSON.parse rounds the decimal digits
        let b = 0n;
        for (let i = size - 1; i >= 0; i--) b = (b << 15n) | BigInt(dv.getUint16(pos + 2 * i, true));
        v = Number(b);
      }
      pos += 2 * size;
      return n < 0 ? -v : v;
    }
    function item() {
      const code = u8[pos++];
      const flagged = (code & 0x80) !== 0;
      let at = -1;
      if (flagged) { at = refs.length; refs.push(SHARED); }
      let v;
      switch (code & 0x7f) {
        case 0x4e: v = null; break;                        // N
        case 0x46: v = false; break;                       // F
        case 0x54: v = true; break;                        // T
        case 0x69: v = i32(); break;                       // i
        case 0x6c: v = long(i32()); break;                 // l
        case 0x67: v = dv.getFloat64(pos, true); pos += 8; break;  // g
        case 0x7a: case 0x5a: v = ascii(u8[pos++]); break; // z Z
        case 0x61: case 0x41: v = ascii(i32()); break;     // a A
        case 0x75: case 0x74: v = utf8(i32()); break;      // u t
        case 0x72: {                                       // r: only a string or number again
          v = refs[i32()];
          if (v === SHARED || v === undefined) throw NOT_PLAIN;
          return v;
        }
        case 0x5b: case 0x28: case 0x29: {                 // [ ( )
          const n = (code & 0x7f) === 0x29 ? u8[pos++] : i32();
          if (n < 0 || n > u8.length) throw NOT_PLAIN;
          v = new Array(n);
          for (let i = 0; i < n; i++) v[i] = item();
          return v;  // a container stays SHARED in refs: reached twice, it is not plain
        }
        case 0x7b: {                                       // {
          v = {};
          for (;;) {
            if (pos >= u8.length) throw NOT_PLAIN;
            if (u8[pos] === 0x30) { pos++; break; }        // 0: the end
            const k = item();
            if (typeof k !== "string") throw NOT_PLAIN;
            const x = item();
            if (k === "__proto__") Object.defineProperty(v, k, { value: x, writable: true, enumerable: true, configurable: true });
            else v[k] = x;
          }
          return v;
        }
        default: throw NOT_PLAIN;
      }
      if (flagged) refs[at] = v;
      return v;
    }
    try {
      const v = item();
      return pos === u8.length && Array.isArray(v) ? v : undefined;
    } catch (e) {
      if (e === NOT_PLAIN || e instanceof RangeError) return undefined;
      throw e;
    }
  }
  // A big answer crosses into Python as UTF-8 bytes: one copy, where a str is built
  // character by character. (JSON.stringify escapes lone surrogates, so no loss.)
  const BIG = 8192;
  const encoder = new TextEncoder();
  function pack(s) { return typeof s === "string" && s.length > BIG ? encoder.encode(s) : s; }
  function fail(e) {
    const id = errId++;
    errs.set(id, e);
    if (errs.size > 1000) errs.delete(errs.keys().next().value);  // never taken: forget
    return [id, String(e && e.name || "Error"), String(e && e.message || e)];
  }
  function range(spec) {
    // spec: null (all) or [lower, upper, lowerOpen, upperOpen] with null for unbounded
    if (spec === null) return undefined;
    const [lo, hi, lo_open, hi_open] = spec;
    if (lo !== null && hi !== null) return IDBKeyRange.bound(lo, hi, lo_open, hi_open);
    if (lo !== null) return IDBKeyRange.lowerBound(lo, lo_open);
    if (hi !== null) return IDBKeyRange.upperBound(hi, hi_open);
    return undefined;
  }
  function path(obj, p) {
    let cur = obj;
    for (const part of p.split(".")) {
      if (cur === null || typeof cur !== "object" || !(part in cur)) return undefined;
      cur = cur[part];
    }
    return cur;
  }
  function extract(obj, kp) {
    if (Array.isArray(kp)) {
      const out = [];
      for (const p of kp) { const v = path(obj, p); if (v === undefined) return undefined; out.push(v); }
      return out;
    }
    return path(obj, kp);
  }
  function source(tx, store, index) {
    const s = tx.objectStore(store);
    return index ? s.index(index) : s;
  }

  // ---- what other tabs hear: the keys each read-write transaction wrote, posted on a
  // BroadcastChannel from the transaction's complete event (never after an abort).
  const BATCH_KEYS = 1000;  // more keys than this in one table: "the table changed"
  let channel = null;
  function written(tx, store) {
    const writes = tx.__lkWrites;
    if (writes === undefined) return null;  // read-only or versionchange
    let w = writes.get(store);
    if (w === undefined) { w = { all: false, pks: [], idx: {} }; writes.set(store, w); }
    return w.all ? null : w;
  }
  function noteAll(tx, store) {
    const w = written(tx, store);
    if (w !== null) { w.all = true; w.pks = []; w.idx = {}; }
  }
  function note(tx, store, results, values, idxJson) {
    const w = written(tx, store);
    if (w === null) return;
    const n = results.length;
    if (w.pks.length + n > BATCH_KEYS) { noteAll(tx, store); return; }
    for (let i = 0; i < n; i++) if (results[i] !== null) w.pks.push(results[i]);
    if (values === null || idxJson == null) return;
    for (const [name, kp, multi] of JSON.parse(idxJson)) {
      const ks = w.idx[name] || (w.idx[name] = []);
      for (let i = 0; i < n; i++) {
        if (results[i] === null) continue;
        const k = extract(values[i], kp);
        if (multi && Array.isArray(k)) { for (const e of k) if (validKey(e)) ks.push(e); }
        else if (validKey(k)) ks.push(k);
      }
    }
  }
  function validKey(k) {  // what IndexedDB would index (null, booleans, objects are not)
    if (typeof k === "number") return k === k;
    if (typeof k === "string") return true;
    if (k instanceof Date) return k.getTime() === k.getTime();
    if (k instanceof ArrayBuffer || ArrayBuffer.isView(k)) return true;
    return Array.isArray(k) && k.every(validKey);
  }
  function post(tx) {
    const writes = tx.__lkWrites;
    if (channel === null || writes === undefined || writes.size === 0) return;
    const tables = [];
    for (const [table, w] of writes) tables.push({ table, all: w.all, pks: w.pks, idx: w.idx });
    try { channel.postMessage({ db: tx.db.name, tables }); } catch (e) { /* closed */ }
  }
  function settle(tx, id, onDone) {
    tx.oncomplete = () => { txs.delete(id); post(tx); onDone(undefined); };
    tx.onabort = () => {
      txs.delete(id);
      onDone(tx.error ? fail(tx.error) : [-1, "AbortError", "transaction aborted"]);
    };
  }

  // Python names a transaction by a number: handing it the IDBTransaction itself would
  // make a proxy per transaction, which costs more than creating the transaction.
  // A transaction is forgotten once it completes or aborts, or (a read-only one that
  // Python does not watch: listeners on it would cost as much again) once Python says
  // it is done with it; from then on its number stands for an object that fails as a
  // finished transaction does.
  const txs = new Map();
  let txSeq = 0;
  function finished() {
    throw new DOMException(
      "Failed to execute 'objectStore' on 'IDBTransaction': The transaction has finished.",
      "InvalidStateError");
  }
  const FINISHED = { objectStore: finished, commit: finished, abort: finished };
  function keep(tx, onDone) {
    const id = ++txSeq;
    txs.set(id, tx);
    if (onDone != null) settle(tx, id, onDone);
    return id;
  }
  function txOf(id) { return txs.get(id) || FINISHED; }

  const storeLists = new Map();  // the JSON of a store list -> the list (parsed once)
  function stores(json) {
    let list = storeLists.get(json);
    if (list === undefined) { list = JSON.parse(json); storeLists.set(json, list); }
    return list;
  }

  let resolver = null;
  const H = {
    setResolver(fn) { resolver = fn; },
    // Helpers report through `resolve`; an IndexedDB event calls Python directly, so the
    // awaiting task resumes inside the event's dispatch. A synchronous answer (an error
    // thrown while placing a request) is deferred so Python never re-enters itself.
    call(name, id, txId, ...args) {
      let sync = true;
      H[name]((s) => {
        if (sync) Promise.resolve().then(() => resolver(id, s));
        else resolver(id, pack(s));
      }, txOf(txId), ...args);
      sync = false;
    },
    // Like call, in a new transaction; returns its number (null if it could not be
    // made). With `once`, the transaction serves this one request and gets no number.
    callNew(name, id, db, storesJson, mode, once, ...args) {
      let tx;
      try {
        tx = db.transaction(stores(storesJson), mode === "r" ? "readonly" : "readwrite");
      } catch (e) {
        const info = fail(e);
        Promise.resolve().then(() => resolver(id, out({ error: info })));
        return null;
      }
      const txId = once ? null : keep(tx, null);
      let sync = true;
      H[name]((s) => {
        if (sync) Promise.resolve().then(() => resolver(id, s));
        else resolver(id, pack(s));
      }, tx, ...args);
      sync = false;
      return txId;
    },
    unmarshal,
    takeError(i) { const e = errs.get(i); errs.delete(i); return e; },
    transaction(db, storesJson, mode, onDone) {
      const tx = db.transaction(stores(storesJson), mode === "r" ? "readonly" : "readwrite");
      if (mode !== "r") tx.__lkWrites = new Map();
      return keep(tx, onDone);
    },
    watch(tx, onDone) { return keep(tx, onDone); },
    commit(txId) { try { txOf(txId).commit(); } catch (e) {} },
    abort(txId) { try { txOf(txId).abort(); } catch (e) {} },
    forget(txId) { txs.delete(txId); },
    kept() { return txs.size; },  // transactions held for Python (tests: nothing leaks)

    mutate(resolve, tx, store, type, valuesJson, keysJson, sp, idxJson) {
      {
        let s;
        const failures = [];
        try { s = tx.objectStore(store); } catch (e) { resolve(out({ error: fail(e) })); return; }
        if (type === "delete_range") {
          let req;
          try {
            const spec = parse(keysJson, sp);
            const r = range(spec);
            req = r === undefined ? s.clear() : s.delete(r);
          } catch (e) { resolve(out({ error: fail(e) })); return; }
          req.onsuccess = () => { noteAll(tx, store); resolve(out({ results: [], failures })); };
          req.onerror = (ev) => { ev.preventDefault(); ev.stopPropagation(); resolve(out({ error: fail(req.error) })); };
          return;
        }
        const keys = keysJson == null ? null : parse(keysJson, sp);
        const values = type === "delete" ? keys
          : typeof valuesJson === "string" ? parse(valuesJson, sp) : valuesJson;
        const n = values.length;
        const reqs = new Array(n);
        if (n === 0) { resolve(out({ results: [], failures })); return; }
        let last = null;
        const finish = () => {
          const results = new Array(n);
          for (let i = 0; i < n; i++) {
            const r = reqs[i];
            results[i] = r && r.readyState === "done" && !r.error ? (type === "delete" ? keys[i] : r.result) : null;
          }
          note(tx, store, results, type === "delete" ? null : values, idxJson);
          resolve(out({ results, failures }));
        };
        for (let i = 0; i < n; i++) {
          let req;
          try {
            if (type === "delete") req = s.delete(keys[i]);
            else if (type === "add") req = keys === null ? s.add(values[i]) : s.add(values[i], keys[i]);
            else req = keys === null ? s.put(values[i]) : s.put(values[i], keys[i]);
          } catch (e) { failures.push([i, ...fail(e)]); continue; }
          reqs[i] = req;
          const idx = i;
          req.onerror = (ev) => {
            ev.preventDefault(); ev.stopPropagation();
            failures.push([idx, ...fail(req.error)]);
            if (req === last) finish();
          };
          last = req;
        }
        if (last === null) { finish(); return; }
        last.onsuccess = finish;
      }
    },

    get(resolve, tx, store, keyJson, sp) {
      {
        let req;
        try { req = tx.objectStore(store).get(parse(keyJson, sp)); }
        catch (e) { resolve(out({ error: fail(e) })); return; }
        req.onsuccess = () => resolve(out({ value: req.result === undefined ? null : req.result }));
        req.onerror = (ev) => { ev.preventDefault(); resolve(out({ error: fail(req.error) })); };
      }
    },

    getMany(resolve, tx, store, keysJson, sp) {
      {
        let s, keys;
        try { s = tx.objectStore(store); keys = parse(keysJson, sp); }
        catch (e) { resolve(out({ error: fail(e) })); return; }
        const n = keys.length;
        if (n === 0) { resolve(out({ values: [] })); return; }
        const reqs = new Array(n);
        try { for (let i = 0; i < n; i++) reqs[i] = s.get(keys[i]); }
        catch (e) { resolve(out({ error: fail(e) })); return; }
        reqs[n - 1].onsuccess = () => {
          const values = new Array(n);
          for (let i = 0; i < n; i++) values[i] = reqs[i].result === undefined ? null : reqs[i].result;
          resolve(outMany({ values }, n));
        };
        for (const r of reqs) r.onerror = (ev) => { ev.preventDefault(); resolve(out({ error: fail(r.error) })); };
      }
    },

    // want: bit 1 = values, bit 2 = index keys
    query(resolve, tx, store, index, rangeJson, sp, limit, reverse, unique, want) {
      {
        let src, r;
        try { src = source(tx, store, index); r = range(parse(rangeJson, sp)); }
        catch (e) { resolve(out({ error: fail(e) })); return; }
        const wantValues = (want & 1) !== 0, wantKeys = (want & 2) !== 0, wantPks = (want & 4) !== 0;
        const count = limit == null ? undefined : limit;
        const onerr = (req) => (ev) => { ev.preventDefault(); resolve(out({ error: fail(req.error) })); };
        try {
          if (!reverse && !unique && !wantKeys) {
            if (wantValues && !wantPks) {
              const req = src.getAll(r, count);
              req.onsuccess = () => resolve(outMany({ values: req.result }, req.result.length));
              req.onerror = onerr(req);
              return;
            }
            if (!wantValues || !index) {
              // primary keys (and values, for the primary index) with getAll/getAllKeys
              const kreq = src.getAllKeys(r, count);
              if (!wantValues) {
                kreq.onsuccess = () => resolve(outMany({ pks: kreq.result }, kreq.result.length));
                kreq.onerror = onerr(kreq);
                return;
              }
              const vreq = src.getAll(r, count);
              vreq.onsuccess = () => resolve(outMany({ pks: kreq.result, values: vreq.result }, vreq.result.length));
              vreq.onerror = onerr(vreq);
              kreq.onerror = onerr(kreq);
              return;
            }
          }
          const direction = (reverse ? "prev" : "next") + (unique ? "unique" : "");
          if (typeof src.getAllRecords === "function") {
            const req = src.getAllRecords({ query: r, count, direction });
            req.onsuccess = () => {
              const recs = req.result, n = recs.length;
              const pks = new Array(n);
              const keys = wantKeys ? new Array(n) : undefined;
              const values = wantValues ? new Array(n) : undefined;
              for (let i = 0; i < n; i++) {
                const rec = recs[i];
                pks[i] = rec.primaryKey;
                if (wantKeys) keys[i] = rec.key;
                if (wantValues) values[i] = rec.value;
              }
              resolve(outMany({ pks, keys, values }, n));
            };
            req.onerror = onerr(req);
            return;
          }
          const req = wantValues ? src.openCursor(r, direction) : (src.openKeyCursor ? src.openKeyCursor(r, direction) : src.openCursor(r, direction));
          const pks = [], keys = [], values = [];
          req.onsuccess = () => {
            const c = req.result;
            if (!c || (count !== undefined && pks.length >= count)) {
              resolve(outMany({ pks, keys: wantKeys ? keys : undefined, values: wantValues ? values : undefined }, pks.length));
              return;
            }
            pks.push(c.primaryKey);
            if (wantKeys) keys.push(c.key);
            if (wantValues) values.push(c.value);
            c.continue();
          };
          req.onerror = onerr(req);
        } catch (e) { resolve(out({ error: fail(e) })); }
      }
    },

    count(resolve, tx, store, index, rangeJson, sp) {
      {
        let req;
        try { req = source(tx, store, index).count(range(parse(rangeJson, sp))); }
        catch (e) { resolve(out({ error: fail(e) })); return; }
        req.onsuccess = () => resolve(out({ count: req.result }));
        req.onerror = (ev) => { ev.preventDefault(); resolve(out({ error: fail(req.error) })); };
      }
    },

    // A cursor read in chunks: next() resolves with up to `chunk` records (JSON).
    cursor(txId, store, index, rangeJson, sp, reverse, unique, chunk) {
      let req = null, cur = null, ended = false, started = false;
      const src = source(txOf(txId), store, index);
      const r = range(parse(rangeJson, sp));
      const direction = (reverse ? "prev" : "next") + (unique ? "unique" : "");
      return {
        next() {
          return new Promise((resolve) => {
            if (ended) { resolve(out({ pks: [], keys: [], values: [], end: true })); return; }
            const pks = [], keys = [], values = [];
            const onsuccess = () => {
              cur = req.result;
              if (!cur) { ended = true; resolve(outMany({ pks, keys, values, end: true }, pks.length)); return; }
              pks.push(cur.primaryKey); keys.push(cur.key); values.push(cur.value);
              if (pks.length >= chunk) { resolve(outMany({ pks, keys, values, end: false }, pks.length)); return; }
              cur.continue();
            };
            try {
              if (!started) {
                started = true;
                req = src.openCursor(r, direction);
                req.onerror = (ev) => { ev.preventDefault(); ended = true; resolve(out({ error: fail(req.error) })); };
              } else {
                cur.continue();
              }
              req.onsuccess = onsuccess;
            } catch (e) { ended = true; resolve(out({ error: fail(e) })); }
          });
        },
      };
    },

    // Resolves [db, tables an upgrade of an existing database changed (JSON)]; the other
    // tabs hear of those tables at once (everything they read there may have changed).
    open(name, version, onUpgrade, onBlocked) {
      return new Promise((resolve, reject) => {
        const req = version == null ? indexedDB.open(name) : indexedDB.open(name, version);
        let before = null;
        req.onupgradeneeded = (ev) => {
          if (ev.oldVersion > 0) before = Array.from(req.result.objectStoreNames);
          onUpgrade(req.result, req.transaction, ev.oldVersion);
        };
        req.onblocked = (ev) => onBlocked(ev.oldVersion, ev.newVersion === null ? undefined : ev.newVersion);
        req.onsuccess = () => {
          const db = req.result;
          let changed = [];
          if (before !== null) {
            changed = Array.from(new Set([...before, ...Array.from(db.objectStoreNames)]));
            const tables = changed.map((table) => ({ table, all: true, pks: [], idx: {} }));
            try { if (channel !== null) channel.postMessage({ db: db.name, tables }); } catch (e) {}
          }
          resolve([db, JSON.stringify(changed)]);
        };
        req.onerror = (ev) => { ev.preventDefault(); reject(req.error); };
      });
    },

    deleteDatabase(name, onBlocked) {
      return new Promise((resolve, reject) => {
        const req = indexedDB.deleteDatabase(name);
        req.onblocked = (ev) => onBlocked(ev.oldVersion, undefined);
        req.onsuccess = () => resolve(null);
        req.onerror = () => reject(req.error);
      });
    },

    // The schema of an open database, inside transaction tx (default: a new read-only
    // one): [{name, keyPath, auto, indexes: [{name, keyPath, unique, multi}]}]
    describe(db, tx) {
      const names = Array.from(db.objectStoreNames);
      if (names.length === 0) return "[]";
      if (tx == null) tx = db.transaction(names, "readonly");
      return JSON.stringify(names.map((n) => {
        const s = tx.objectStore(n);
        return {
          name: n, keyPath: s.keyPath, auto: s.autoIncrement,
          indexes: Array.from(s.indexNames).map((i) => {
            const ix = s.index(i);
            return { name: i, keyPath: ix.keyPath, unique: ix.unique, multi: ix.multiEntry };
          }),
        };
      }));
    },
    createStore(db, name, keyPathJson, auto) {
      const keyPath = JSON.parse(keyPathJson);
      const opts = { autoIncrement: !!auto };
      if (keyPath !== null) opts.keyPath = keyPath;
      db.createObjectStore(name, opts);
    },
    deleteStore(db, name) { db.deleteObjectStore(name); },
    createIndex(tx, store, name, keyPathJson, unique, multi) {
      tx.objectStore(store).createIndex(name, JSON.parse(keyPathJson), { unique: !!unique, multiEntry: !!multi });
    },
    deleteIndex(tx, store, name) { tx.objectStore(store).deleteIndex(name); },
    channel(name, onMessage) {
      if (typeof BroadcastChannel === "undefined") return undefined;
      if (channel === null) channel = new BroadcastChannel(name);
      channel.onmessage = (ev) => onMessage(out(ev.data));
      return channel;
    },
  };
  return H;
})()
"""
