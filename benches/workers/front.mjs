// The Worker the bench talks to: answers /ping itself (which opens the
// connection from Node and wakes the runtime), and hands any other request
// to the Worker under test through a service binding, so the timed request
// is that Worker's first.
export default {
  fetch(request, env) {
    return new URL(request.url).pathname === "/ping" ? new Response("pong") : env.TARGET.fetch(request);
  },
};
