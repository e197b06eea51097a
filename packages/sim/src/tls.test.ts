import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { connect } from "node:tls";
import { makeCertificates } from "./tls.ts";

test("a client trusting only the generated CA verifies the server certificate for 127.0.0.1", async () => {
  const certs = makeCertificates({ ips: ["127.0.0.1"], dnsNames: ["localhost"] });
  const server = createServer({ cert: certs.serverCertPem, key: certs.serverKeyPem }, (_req, res) =>
    res.end("ok"),
  );
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  try {
    const socket = connect({ host: "127.0.0.1", port, ca: certs.caCertPem, servername: undefined });
    await once(socket, "secureConnect");
    assert.equal(socket.authorized, true);
    socket.destroy();

    const untrusted = connect({ host: "127.0.0.1", port, rejectUnauthorized: false });
    await once(untrusted, "secureConnect");
    assert.equal(untrusted.authorized, false, "a client without the CA must not trust the certificate");
    untrusted.destroy();
  } finally {
    server.close();
    server.closeAllConnections();
  }
});
