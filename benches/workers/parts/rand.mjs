export default { async fetch() { const b = crypto.getRandomValues(new Uint8Array(32)); return new Response("https://x.example/" + b[0]); } };
