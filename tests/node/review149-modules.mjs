// Review 149: random modules of pure expressions (tees, traps, loads, selects, int and float comparisons), ifs and
// selects on comparisons, nested ifs and blocks with br_if, for tests/node/review149.test.mjs. Seeded (xorshift32).
export function gen(seed, nf = 8) {
  let s = seed >>> 0 || 1;
  const r = (n) => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>>= 0), s % n);
  const pick = (a) => a[r(a.length)];
  const I32 = (d) => {
    if (d <= 0 || r(5) === 0) return pick(["(local.get $a)", "(local.get $b)", "(local.get $t)", "(local.get $u)", `(i32.const ${pick([0, 1, -1, 3, 7, 255, 65536, -2147483648])})`]);
    switch (r(13)) {
      case 0: return `(local.tee ${pick(["$t", "$u"])} ${I32(d - 1)})`;
      case 1: case 2: return `(i32.${pick(["add", "sub", "mul", "and", "or", "xor", "shl", "shr_u", "rotl"])} ${I32(d - 1)} ${I32(d - 1)})`;
      case 3: return `(i32.${pick(["div_s", "div_u", "rem_s", "rem_u"])} ${I32(d - 1)} ${I32(d - 1)})`;
      case 4: case 5: return `(i32.${pick(["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"])} ${I32(d - 1)} ${I32(d - 1)})`;
      case 6: { const t = pick(["f32", "f64"]); const g = t === "f32" ? F32 : F64; return `(${t}.${pick(["eq", "ne", "lt", "gt", "le", "ge"])} ${g(d - 1)} ${g(d - 1)})`; }
      case 7: return `(i64.${pick(["eq", "ne", "lt_s", "gt_u", "le_u", "ge_s"])} ${I64(d - 1)} ${I64(d - 1)})`;
      case 8: return `(select ${I32(d - 1)} ${I32(d - 1)} ${CMP(d - 1)})`;
      case 9: return `(i32.load${pick(["", "8_u", "16_s"])} ${I32(d - 1)})`;
      case 10: return `(i32.trunc_f32_s ${F32(d - 1)})`;
      case 11: return `(i32.eqz ${I32(d - 1)})`;
      default: return `(i32.wrap_i64 ${I64(d - 1)})`;
    }
  };
  const I64 = (d) => {
    if (d <= 0 || r(3) === 0) return pick(["(local.get $l)", "(i64.const -1)", "(i64.const 5)", "(i64.extend_i32_s (local.get $a))"]);
    return pick([() => `(i64.${pick(["add", "mul", "xor", "sub"])} ${I64(d - 1)} ${I64(d - 1)})`, () => `(i64.extend_i32_u ${I32(d - 1)})`, () => `(i64.div_u ${I64(d - 1)} ${I64(d - 1)})`])();
  };
  const F32 = (d) => {
    if (d <= 0 || r(3) === 0) return pick(["(local.get $x)", "(f32.const nan)", "(f32.const -0)", "(f32.const 0)", "(f32.const 1.5)", "(f32.const -inf)"]);
    return pick([() => `(f32.${pick(["add", "sub", "div", "min", "max"])} ${F32(d - 1)} ${F32(d - 1)})`, () => `(f32.convert_i32_s ${I32(d - 1)})`, () => `(f32.demote_f64 (local.get $y))`])();
  };
  const F64 = (d) => (d <= 0 || r(2) ? pick(["(local.get $y)", "(f64.const nan)", "(f64.const -0)", "(f64.const 2)"]) : `(f64.${pick(["add", "mul", "div"])} ${F64(d - 1)} ${F64(d - 1)})`);
  let ft = "f32";
  const F = (d) => (ft === "f32" ? F32(d) : F64(d));
  const CMP = (d) => {
    const k = r(4);
    if (k === 0) { const t = pick(["f32", "f64"]); const g = t === "f32" ? F32 : F64; return `(${t}.${pick(["eq", "ne", "lt", "gt", "le", "ge"])} ${g(d)} ${g(d)})`; }
    if (k === 1) return `(i64.${pick(["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"])} ${I64(d)} ${I64(d)})`;
    return `(i32.${pick(["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"])} ${I32(d)} ${I32(d)})`;
  };
  const STMT = (d) => {
    switch (r(6)) {
      case 0: return `(local.set $acc (if (result i32) ${CMP(2)} (then ${I32(3)}) (else ${I32(3)})))`;
      case 1: return `(if ${CMP(2)} (then ${STMT(d - 1)} ${STMT(d - 1)}) (else ${STMT(d - 1)}))`;
      case 2: return `(local.set ${pick(["$t", "$u"])} ${I32(3)})`;
      case 3: return `(block $bk (br_if $bk ${CMP(2)}) (local.set $acc (i32.add (local.get $acc) ${I32(2)})))`;
      default: return `(local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) ${I32(4)}))`;
    }
  };
  const fns = [];
  for (let f = 0; f < nf; f++) {
    ft = pick(["f32", "f64"]);
    let body = "";
    for (let i = 0; i < 6; i++) body += "\n  " + (d => STMT(2))();
    fns.push(` (func $f${f} (export "f${f}") (param $a i32) (param $b i32) (param $x f32) (param $y f64) (param $l i64) (result i32) (local $t i32) (local $u i32) (local $acc i32)${body}
  (i32.add (i32.mul (local.get $acc) (i32.const 1000003)) (i32.xor (local.get $t) (i32.rotl (local.get $u) (i32.const 7)))))`);
  }
  const data = Array.from({ length: 64 }, (_, i) => "\\" + ((i * 73 + 11) & 255).toString(16).padStart(2, "0")).join("");
  return `(module\n (memory 1)\n (data (i32.const 0) "${data}")\n${fns.join("\n")}\n)\n`;
}
