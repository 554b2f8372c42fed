// The shapes jsonld.js gives schema.org markup: compacted with schema.org's context, flattened
// (with and without it) and expanded. Reads {"documents": [...]} on stdin and writes, for each
// document, {"compacted", "flattened", "flattenedCompacted", "expanded"} on stdout. Its document
// loader serves schema.org's context from the file named on the command line, and nothing else:
// nothing is fetched.
"use strict";
const fs = require("fs");
const jsonld = require("jsonld");

const context = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const served = new Set([
  "https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/",
]);
const documentLoader = async (url) => {
  if (!served.has(url)) {
    throw new Error(`no remote context is fetched: ${url}`);
  }
  return { contextUrl: null, documentUrl: url, document: context };
};

async function main() {
  const input = JSON.parse(fs.readFileSync(0, "utf8"));
  const options = { documentLoader, safe: false };
  const shapes = [];
  for (const document of input.documents) {
    shapes.push({
      compacted: await jsonld.compact(document, "https://schema.org", options),
      flattened: await jsonld.flatten(document, null, options),
      flattenedCompacted: await jsonld.flatten(document, "https://schema.org", options),
      expanded: await jsonld.expand(document, options),
    });
  }
  process.stdout.write(JSON.stringify(shapes));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
