// A throwaway certificate authority and a serving certificate for 127.0.0.1, made at every start so the
// Kubernetes API speaks real TLS and kubectl verifies it through certificate-authority-data.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import forge from "node-forge";

export interface SimCertificates {
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

// Keys come from node:crypto (native, milliseconds); forge's pure-JS RSA keygen would take seconds.
function rsaKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  return {
    pem: privateKey,
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    publicKey: forge.pki.publicKeyFromPem(publicKey),
  };
}

function serial(): string {
  // Positive: the high bit of the first byte is cleared.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}

type Attributes = { name: string; value: string }[];

function signed(
  publicKey: forge.pki.PublicKey,
  subject: Attributes,
  issuer: { name: Attributes; key: forge.pki.rsa.PrivateKey },
  extensions: object[],
  now: Date,
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + 365 * 24 * 60 * 60 * 1000);
  cert.setSubject(subject);
  cert.setIssuer(issuer.name);
  cert.setExtensions(extensions);
  cert.sign(issuer.key, forge.md.sha256.create());
  return cert;
}

export function makeCertificates(
  hosts: { ips: string[]; dnsNames: string[] },
  now = new Date(),
): SimCertificates {
  const ca = rsaKeyPair();
  const caName = [{ name: "commonName", value: "eni-view-sim-ca" }];
  const caCert = signed(
    ca.publicKey,
    caName,
    { name: caName, key: ca.privateKey },
    [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      { name: "subjectKeyIdentifier" },
    ],
    now,
  );
  const server = rsaKeyPair();
  const cert = signed(
    server.publicKey,
    [{ name: "commonName", value: "kube-apiserver" }],
    { name: caName, key: ca.privateKey },
    [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          ...hosts.dnsNames.map((value) => ({ type: 2, value })),
          ...hosts.ips.map((ip) => ({ type: 7, ip })),
        ],
      },
      { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    ],
    now,
  );
  return {
    caCertPem: forge.pki.certificateToPem(caCert),
    serverCertPem: forge.pki.certificateToPem(cert),
    serverKeyPem: server.pem,
  };
}
