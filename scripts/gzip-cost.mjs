// Where a file's gzip bits go (issue 26): the file deflated as
// benches/sizes.mjs does it (Node's zlib, level 9), the stream decoded again
// by the small inflater below, and each of its bits charged to an input
// byte: a literal's code to its byte; a match's length and distance codes
// and their extra bits spread evenly over the bytes it copies. Block
// headers, code trees, end-of-block codes and gzip's frame are counted
// apart. The parts add up to the stream's size exactly (checked).
//   node scripts/gzip-cost.mjs FILE [--wasm NAMED.wasm] [--js]
// --wasm: FILE is a wasm module; its bits by section, by instruction class
// and by function (names from NAMED.wasm, a copy with a name section, such
// as build-wasm.sh's module with -g on its last wasm-opt and no order step:
// bodies matched by their bytes, call, type and local indices and
// alignment hints left out). --js: by
// token class (identifiers, property names, strings, punctuation...).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { uleb } from "./leb.mjs";

// Deflate's fixed tables (RFC 1951, 3.2.5).
const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

// A canonical Huffman code from its lengths, as a map from (length, code)
// to symbol: codes are read bit by bit, most significant first.
function huffman(lengths) {
  const count = new Array(16).fill(0);
  for (const l of lengths) if (l) count[l]++;
  // The first code of each length follows all the shorter ones.
  const next = new Array(16).fill(0);
  let code = 0;
  for (let l = 1; l < 16; l++) {
    next[l] = code;
    code = (code + count[l]) << 1;
  }
  const map = new Map();
  lengths.forEach((l, symbol) => {
    if (l) map.set(l * 65536 + next[l]++, symbol);
  });
  return map;
}

// Decodes a gzip member; returns the inflated bytes, the bits charged to
// each (Float64Array), whether each came from a match, and the bits counted
// apart.
export function inflateCost(gz) {
  let pos = 0; // bit position
  const bit = () => {
    const b = (gz[pos >> 3] >> (pos & 7)) & 1;
    pos++;
    return b;
  };
  const bits = (n) => {
    let v = 0;
    for (let i = 0; i < n; i++) v |= bit() << i;
    return v;
  };
  const symbol = (code) => {
    let c = 0;
    for (let len = 1; len < 16; len++) {
      c = (c << 1) | bit();
      const s = code.get(len * 65536 + c);
      if (s !== undefined) return s;
    }
    throw new Error(`bad Huffman code at bit ${pos}`);
  };
  if (gz[0] !== 0x1f || gz[1] !== 0x8b || gz[2] !== 8) throw new Error("not a gzip deflate stream");
  if (gz[3] !== 0) throw new Error("gzip header flags not handled");
  pos = 10 * 8;
  const out = [];
  const cost = [];
  const matched = [];
  const apart = { frame: 10 * 8, blockHeaders: 0, trees: 0, endOfBlock: 0, storedFraming: 0, padding: 0 };
  let last = 0;
  while (!last) {
    last = bit();
    const type = bits(2);
    apart.blockHeaders += 3;
    if (type === 0) {
      const start = pos;
      pos = (pos + 7) & ~7;
      const len = bits(16);
      bits(16);
      apart.storedFraming += pos - start;
      for (let i = 0; i < len; i++) {
        out.push(bits(8));
        cost.push(8);
        matched.push(false);
      }
      continue;
    }
    let lit, dist;
    if (type === 1) {
      const l = new Array(288).fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
      lit = huffman(l);
      dist = huffman(new Array(30).fill(5));
    } else if (type === 2) {
      const start = pos;
      const hlit = bits(5) + 257;
      const hdist = bits(5) + 1;
      const hclen = bits(4) + 4;
      const cl = new Array(19).fill(0);
      for (let i = 0; i < hclen; i++) cl[CL_ORDER[i]] = bits(3);
      const clCode = huffman(cl);
      const lengths = [];
      while (lengths.length < hlit + hdist) {
        const s = symbol(clCode);
        if (s < 16) lengths.push(s);
        else if (s === 16) {
          const prev = lengths[lengths.length - 1];
          for (let n = 3 + bits(2); n--; ) lengths.push(prev);
        } else if (s === 17) for (let n = 3 + bits(3); n--; ) lengths.push(0);
        else for (let n = 11 + bits(7); n--; ) lengths.push(0);
      }
      lit = huffman(lengths.slice(0, hlit));
      dist = huffman(lengths.slice(hlit));
      apart.trees += pos - start;
    } else throw new Error("reserved block type");
    for (;;) {
      const start = pos;
      const s = symbol(lit);
      if (s < 256) {
        out.push(s);
        cost.push(pos - start);
        matched.push(false);
      } else if (s === 256) {
        apart.endOfBlock += pos - start;
        break;
      } else {
        const len = LEN_BASE[s - 257] + bits(LEN_EXTRA[s - 257]);
        const d = symbol(dist);
        const distance = DIST_BASE[d] + bits(DIST_EXTRA[d]);
        if (distance > out.length) throw new Error("distance past the start");
        const each = (pos - start) / len;
        for (let i = 0; i < len; i++) {
          out.push(out[out.length - distance]);
          cost.push(each);
          matched.push(true);
        }
      }
    }
  }
  apart.padding = ((pos + 7) & ~7) - pos;
  pos = (pos + 7) & ~7;
  apart.frame += 8 * 8;
  if (pos / 8 + 8 !== gz.length) throw new Error(`stream ends at byte ${pos / 8}, file has ${gz.length - 8} before the trailer`);
  return { data: Uint8Array.from(out), cost: Float64Array.from(cost), matched, apart };
}

// The file as sizes.mjs gzips it, and each byte's cost. `total` is the
// stream's bits; `sum` the bytes' bits plus those counted apart (equal).
export function gzipCost(input) {
  const gz = gzipSync(input, { level: 9 });
  const r = inflateCost(gz);
  if (Buffer.compare(Buffer.from(r.data), Buffer.from(input)) !== 0) throw new Error("inflated bytes differ from the input");
  let sum = 0;
  for (const c of r.cost) sum += c;
  const apartBits = Object.values(r.apart).reduce((a, b) => a + b, 0);
  // A match's bits are split in fractions: equal up to rounding.
  if (Math.abs(sum + apartBits - gz.length * 8) > 1e-6 * gz.length) throw new Error(`bits charged ${sum + apartBits}, stream ${gz.length * 8}`);
  return { ...r, gzipBytes: gz.length, total: gz.length * 8, byteBits: sum, sum: sum + apartBits };
}

// --- wasm: every byte given a class ---------------------------------------

const SECTION = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount"];

// Reads a module, calling mark(from, to, class, fn) for each span of bytes.
// fn: the defined function's index among the bodies (code section only).
export function classifyWasm(buf, mark) {
  let p = 8;
  mark(0, 8, "header");
  const u = () => {
    let v;
    [v, p] = uleb(buf, p);
    return v;
  };
  const s = () => {
    let v = 0n,
      shift = 0n,
      b;
    do {
      b = buf[p++];
      v |= BigInt(b & 127) << shift;
      shift += 7n;
    } while (b & 128);
    if (b & 64) v -= 1n << shift;
    return v;
  };
  const sections = [];
  while (p < buf.length) {
    const start = p;
    const id = buf[p++];
    const size = u();
    const body = p;
    const name = SECTION[id] ?? `section${id}`;
    mark(start, body, `${name}: section header`);
    sections.push({ id, name, start, body, end: body + size });
    if (id === 10) code(body + size);
    else if (id === 11) data(body + size);
    else mark(body, body + size, name);
    p = body + size;
  }
  return sections;

  function data(end) {
    const c0 = p;
    const count = u();
    mark(c0, p, "data: segment header");
    while (p < end) {
      const start = p;
      const flag = u();
      if (flag === 2) u();
      if (flag !== 1) {
        // The offset expression: one constant and `end` (the toolchain's
        // form); its LEB may hold 0x0b, so it is read, not scanned for.
        const op = buf[p++];
        if (op === 0x41 || op === 0x42) while (buf[p++] & 0x80);
        else if (op === 0x23) u();
        else throw new Error(`a data segment's offset starts with opcode 0x${op.toString(16)}`);
        if (buf[p++] !== 0x0b) throw new Error("a data segment's offset is not one instruction");
      }
      const len = u();
      mark(start, p, "data: segment header");
      mark(p, p + len, "data: bytes");
      p += len;
    }
    void count;
  }

  function code(end) {
    const s0 = p;
    const count = u();
    mark(s0, p, "code: count");
    for (let fn = 0; fn < count; fn++) {
      const f0 = p;
      const size = u();
      const fend = p + size;
      mark(f0, p, "body size", fn);
      const l0 = p;
      const groups = u();
      for (let g = 0; g < groups; g++) {
        u();
        p++;
      }
      mark(l0, p, "locals decl", fn);
      while (p < fend) instr(fn);
    }
    if (p !== end) throw new Error("code section misread");
  }

  function imm(cls, fn, read) {
    const a = p;
    const v = read();
    mark(a, p, `${cls} ${p - a}B`, fn);
    return v;
  }

  function blocktype(fn) {
    const a = p;
    if (buf[p] === 0x40 || (buf[p] >= 0x6f && buf[p] <= 0x7f)) p++;
    else s();
    mark(a, p, "block type", fn);
  }

  function instr(fn) {
    const a = p;
    const op = buf[p++];
    if (op === 0xfc) {
      const sub = u();
      mark(a, p, "opcode", fn);
      if (sub <= 7) return; // trunc_sat
      const one = () => p++;
      if (sub === 8) return void (imm("data index", fn, u), imm("memory index", fn, one)); // memory.init
      if (sub === 9) return void imm("data index", fn, u);
      if (sub === 10) return void (imm("memory index", fn, one), imm("memory index", fn, one)); // memory.copy
      if (sub === 11) return void imm("memory index", fn, one); // memory.fill
      throw new Error(`0xfc ${sub} not handled`);
    }
    mark(a, p, "opcode", fn);
    if (op === 0x02 || op === 0x03 || op === 0x04) return blocktype(fn);
    if (op === 0x0c || op === 0x0d) return void imm("br depth", fn, u);
    if (op === 0x0e) {
      const b = p;
      const n = u();
      for (let i = 0; i <= n; i++) u();
      return void mark(b, p, "br_table", fn);
    }
    if (op === 0x10 || op === 0x12) return void imm("call index", fn, u);
    if (op === 0x11) {
      imm("call_indirect type", fn, u);
      return void imm("call_indirect table", fn, u);
    }
    if (op === 0x1c) {
      const b = p;
      const n = u();
      for (let i = 0; i < n; i++) p++;
      return void mark(b, p, "select types", fn);
    }
    if (op >= 0x20 && op <= 0x22) return void imm("local index", fn, u);
    if (op === 0x23 || op === 0x24) return void imm("global index", fn, u);
    if (op >= 0x28 && op <= 0x3e) {
      // Bit 6 of the alignment names a memory (multi-memory), whose index
      // this reader does not take: refused, not misread (review 147).
      if (imm("memarg align", fn, u) & 0x40) throw new Error("a memarg names a memory: multi-memory is not read");
      return void imm("memarg offset", fn, u);
    }
    if (op === 0x3f || op === 0x40) {
      if (imm("memory index", fn, () => buf[p++]) !== 0) throw new Error("memory.size or memory.grow of another memory: not read");
      return;
    }
    if (op === 0x41) return void imm("i32.const", fn, s);
    if (op === 0x42) return void imm("i64.const", fn, s);
    if (op === 0x43) return void imm("f32.const", fn, () => (p += 4));
    if (op === 0x44) return void imm("f64.const", fn, () => (p += 8));
    if (op === 0xd0) return void imm("ref.null type", fn, () => p++);
    if (op === 0xd2) return void imm("ref.func", fn, u);
    // The opcodes without immediates (control, parametric, numeric, sign
    // extension, ref.is_null); anything else would be misread.
    if (!(op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b || (op >= 0x45 && op <= 0xc4) || op === 0xd1))
      throw new Error(`opcode 0x${op.toString(16)} at byte ${a} not read`);
  }
}

// The defined functions' names from a copy with a name section, matched by
// body bytes with call indices masked.
export function names(shipped, named) {
  const bodies = (buf) => {
    const list = [];
    classifyWasm(
      buf,
      (a, b, cls, fn) => {
        if (fn === undefined) return;
        list[fn] ??= [];
        // Function and type indices differ after the order step's
        // permutation, alignment hints after align-hints.mjs, local indices
        // after order-locals.mjs.
        const masked =
          cls.startsWith("call index") || cls.startsWith("call_indirect type") || cls.startsWith("memarg align") || cls.startsWith("local index") || (cls === "block type" && buf[a] < 0x40);
        list[fn].push(masked ? "C" : Buffer.from(buf.subarray(a, b)).toString("hex"));
      },
    );
    return list.map((parts) => parts.join(""));
  };
  const nameMap = readNames(named);
  const imports = importedFunctions(named);
  const byBody = new Map();
  bodies(named).forEach((key, i) => {
    const name = nameMap.get(i + imports) ?? `f${i}`;
    byBody.set(key, byBody.has(key) ? `${byBody.get(key)}|${name}` : name);
  });
  return bodies(shipped).map((key, i) => byBody.get(key) ?? `?${i}`);
}

function importedFunctions(buf) {
  let p = 8,
    n = 0;
  const u = () => {
    let v;
    [v, p] = uleb(buf, p);
    return v;
  };
  while (p < buf.length) {
    const id = buf[p++];
    const size = u();
    const end = p + size;
    if (id === 2) {
      const count = u();
      for (let i = 0; i < count; i++) {
        p += u();
        p += u();
        const kind = buf[p++];
        if (kind === 0) (u(), n++);
        else if (kind === 1) (p++, u() & 1 ? (u(), u()) : u());
        else if (kind === 2) (u() & 1 ? (u(), u()) : u());
        else if (kind === 3) p += 2;
      }
    }
    p = end;
  }
  return n;
}

function readNames(buf) {
  const map = new Map();
  let p = 8;
  const u = () => {
    let v;
    [v, p] = uleb(buf, p);
    return v;
  };
  const str = () => {
    const n = u();
    const t = Buffer.from(buf.subarray(p, p + n)).toString("utf8");
    p += n;
    return t;
  };
  while (p < buf.length) {
    const id = buf[p++];
    const size = u();
    const end = p + size;
    if (id === 0 && str() === "name") {
      while (p < end) {
        const sub = buf[p++];
        const len = u();
        const subEnd = p + len;
        if (sub === 1) {
          const count = u();
          for (let i = 0; i < count; i++) {
            const idx = u();
            map.set(idx, str());
          }
        }
        p = subEnd;
      }
    }
    p = end;
  }
  return map;
}

// Bits and bytes by class and by function.
export function wasmTables(buf, named) {
  const r = gzipCost(buf);
  const byClass = new Map();
  const byFn = new Map();
  const add = (map, key, bytes, bits) => {
    const e = map.get(key) ?? { bytes: 0, bits: 0 };
    e.bytes += bytes;
    e.bits += bits;
    map.set(key, e);
  };
  let covered = 0;
  classifyWasm(
    buf,
    (a, b, cls, fn) => {
      let bits = 0;
      for (let i = a; i < b; i++) bits += r.cost[i];
      covered += b - a;
      add(byClass, cls, b - a, bits);
      if (fn !== undefined) add(byFn, fn, b - a, bits);
    },
  );
  if (covered !== buf.length) throw new Error(`classified ${covered} of ${buf.length} bytes`);
  const fnNames = named ? names(buf, named) : null;
  return { r, byClass, byFn, fnNames };
}

// --- JS: tokens by class ---------------------------------------------------

export function classifyJs(text, mark) {
  const re =
    /(\s+)|(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|(\d[\w.]*)|([A-Za-z_$][\w$]*)|(\/(?:[^/\\\n[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+\/[a-z]*)|([^\s\w$])/gy;
  const KEYWORDS = new Set(
    "await break case catch class const continue default delete do else export extends false finally for function if import in instanceof let new null of return static super switch this throw true try typeof undefined var void while yield async from as".split(" "),
  );
  let prev = "";
  let m;
  let end = 0;
  while ((m = re.exec(text))) {
    end = re.lastIndex;
    const [tok] = m;
    const a = m.index,
      b = a + tok.length;
    let cls;
    if (m[1]) cls = "whitespace";
    else if (m[2]) cls = "comment";
    else if (m[3]) cls = "string";
    else if (m[4]) cls = "number";
    else if (m[5]) cls = KEYWORDS.has(tok) ? "keyword" : prev === "." ? "property name" : text[b] === ":" && /[{,]$/.test(prev) ? "property name" : "identifier";
    else if (m[6] && /[=(,:[!&|?{};]$|^$|return$/.test(prev)) cls = "regexp";
    else cls = "punctuation";
    if (m[6] && cls === "punctuation") {
      // not a regexp: only its first character is punctuation
      re.lastIndex = end = a + 1;
      mark(a, a + 1, cls);
      prev = tok[0];
      continue;
    }
    mark(a, b, cls);
    if (!m[1] && !m[2]) prev = tok;
  }
  if (end !== text.length) throw new Error(`JS tokens stop at ${end} of ${text.length}`);
}

function table(rows, total) {
  const lines = ["| class | bytes | gzip bits | bits/byte | share |", "|---|---:|---:|---:|---:|"];
  for (const [k, e] of rows) lines.push(`| ${k} | ${e.bytes} | ${e.bits.toFixed(0)} | ${(e.bits / Math.max(e.bytes, 1)).toFixed(2)} | ${((100 * e.bits) / total).toFixed(1)} % |`);
  return lines.join("\n");
}

function main() {
  const args = process.argv.slice(2);
  const file = args[0];
  const buf = readFileSync(file);
  const flag = args.indexOf("--wasm");
  if (flag >= 0 || file.endsWith(".wasm")) {
    const named = flag >= 0 && args[flag + 1] ? readFileSync(args[flag + 1]) : null;
    const { r, byClass, byFn, fnNames } = wasmTables(buf, named);
    console.log(`${file}: ${buf.length} B, gzip ${r.gzipBytes} B = ${r.total} bits; bytes ${r.byteBits.toFixed(0)} + apart ${JSON.stringify(r.apart)}\n`);
    console.log(table([...byClass].sort((x, y) => y[1].bits - x[1].bits), r.total));
    console.log("\n| function | bytes | gzip bits | bits/byte |\n|---|---:|---:|---:|");
    for (const [fn, e] of [...byFn].sort((x, y) => y[1].bits - x[1].bits))
      console.log(`| ${fnNames ? fnNames[fn] : fn} (#${fn}) | ${e.bytes} | ${e.bits.toFixed(0)} | ${(e.bits / e.bytes).toFixed(2)} |`);
  } else {
    const r = gzipCost(buf);
    const byClass = new Map();
    classifyJs(buf.toString("latin1"), (a, b, cls) => {
      let bits = 0;
      for (let i = a; i < b; i++) bits += r.cost[i];
      const e = byClass.get(cls) ?? { bytes: 0, bits: 0 };
      e.bytes += b - a;
      e.bits += bits;
      byClass.set(cls, e);
    });
    console.log(`${file}: ${buf.length} B, gzip ${r.gzipBytes} B = ${r.total} bits; bytes ${r.byteBits.toFixed(0)} + apart ${JSON.stringify(r.apart)}\n`);
    console.log(table([...byClass].sort((x, y) => y[1].bits - x[1].bits), r.total));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
