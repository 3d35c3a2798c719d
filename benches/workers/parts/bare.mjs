export default { async fetch() { return new Response("https://x.example/"); } };
