// The page wasm's error answer read back into the layout reviews 116, 118,
// 119 and 121 pinned (their frozen values are hashes of it).
//
// Since the twenty-fourth session raw.rs' `failed` sends the message's parts,
// not its text (the prose is in the glue): the bytes are the provider's code
// and message (an error with parts has none), then the parts one after
// another; slots 4 to 11 the code's
// index, the message's id in error-codes.js' PAGE_MESSAGES (its template
// split at each `{}`), the provider fields' byte lengths (-1: none), the four
// parts' (0 past the last; below -1, a number: -2 - n). `legacyReader(pkg)` fills the template as raw.js
// does (the provider fields read first) and adds the provider's
// fields as raw.js and the full build's Error::detail write them: the old
// answer, the bytes of the message users see, then the provider's code and
// message; slots 5 to 7 their byte lengths, 8 and 9 zero. A changed message,
// code, part or refusal still changes the pinned hashes.
const te = new TextEncoder();
const none = new Uint8Array(0);

export async function legacyReader(pkg) {
  const { PAGE_MESSAGES } = await import(pkg + "error-codes.js");
  /** (slots: the 12 slots' copy, part: the answer's bytes) -> [old 10 slots, old bytes]. */
  return (slots, part) => {
    const pieces = PAGE_MESSAGES[slots[5]];
    let at = 0;
    // Below -1: a part that is a number, -2 - n, which raw.js writes in
    // decimal (FlowExpired's age, since the thirtieth session).
    const take = (length) => (length < -1 ? te.encode(`${-2 - length}`) : length < 0 ? null : part.subarray(at, (at += length)));
    const code = take(slots[6]), message = take(slots[7]);
    const detail = [te.encode(pieces[0])];
    for (let i = 1; i < pieces.length; i++) detail.push(take(slots[7 + i]), te.encode(pieces[i]));
    if (code) detail.push(te.encode(" (provider: "), code, ...(message ? [te.encode(": "), message] : []), te.encode(")"));
    const text = Buffer.concat(detail);
    const bytes = new Uint8Array(Buffer.concat([text, code ?? none, message ?? none]));
    const old = new Float64Array(10);
    old.set([0, bytes.length, slots[2], slots[3], slots[4], text.length, slots[6], slots[7]]);
    return [old, bytes];
  };
}
