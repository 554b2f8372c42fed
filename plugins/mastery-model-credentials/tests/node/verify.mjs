// Verifies credentials with digitalbazaar's implementations of Verifiable Credentials (vc), Data
// Integrity (data-integrity) and the eddsa-rdfc-2022 cryptosuite, the did:key method resolving
// keys. Reads {"contexts": {URL: document}, "credentials": [...]} on stdin and writes, for each
// credential, {"verified": true|false, "errors": [message, ...]} on stdout. The document loader
// serves the contexts given and resolves did:key (computed from the key itself): nothing is fetched.
import fs from "node:fs";
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { driver } from "@digitalbazaar/did-method-key";

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const contexts = new Map(Object.entries(input.contexts));
const didKey = driver();
didKey.use({ multibaseMultikeyHeader: "z6Mk", fromMultibase: Ed25519Multikey.from });
const fetched = [];

const documentLoader = async (url) => {
  if (url.startsWith("did:key:")) {
    return { contextUrl: null, documentUrl: url, document: await didKey.get({ url }) };
  }
  if (contexts.has(url)) {
    return { contextUrl: null, documentUrl: url, document: contexts.get(url) };
  }
  fetched.push(url);
  throw new Error(`nothing is fetched: ${url}`);
};

function messages(error) {
  if (!error) return [];
  const list = Array.isArray(error) ? error : [error];
  return list.flatMap((e) => [String(e && e.message ? e.message : e) + (e && e.details ? " " + JSON.stringify(e.details) : ""), ...messages(e && e.errors)]);
}

async function main() {
  const suite = new DataIntegrityProof({ cryptosuite });
  const results = [];
  for (const credential of input.credentials) {
    try {
      const result = await vc.verifyCredential({ credential, suite, documentLoader });
      results.push({ verified: result.verified === true, errors: messages(result.error) });
    } catch (error) {
      results.push({ verified: false, errors: messages(error) });
    }
  }
  process.stdout.write(JSON.stringify({ results, fetched }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
