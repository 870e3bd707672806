#!/usr/bin/env node
// Assembles postman/journeys/*.json (one Postman folder per user journey, in file-name order) into
// the collection that newman runs and that people import into Postman. Journeys are separate files
// so that each can be reviewed, and changed, without touching the others.
// Usage: node postman/build-collection.js [--check]   (--check: fail if the committed collection is stale)
'use strict';
const fs = require('fs');
const path = require('path');

const dir = path.join(__dirname, 'journeys');
const target = path.join(__dirname, 'JointEfforts.postman_collection.json');
const folders = fs.readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => {
    const folder = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    if (!folder.name || !Array.isArray(folder.item) || folder.item.length === 0) {
      throw new Error(`${f}: a journey is a folder with a name and at least one request`);
    }
    for (const request of folder.item) {
      const tests = (request.event || []).filter((e) => e.listen === 'test');
      if (tests.length === 0) {
        throw new Error(`${f}: request '${request.name}' has no test script asserting status and body`);
      }
    }
    return folder;
  });

const collection = {
  info: {
    name: 'JointEfforts API',
    description: 'User journeys of the JointEfforts API, one folder each. Run with newman against a live server (see README).',
    schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
  },
  item: folders,
  variable: [],
};
const text = JSON.stringify(collection, null, 2) + '\n';

if (process.argv.includes('--check')) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current !== text) {
    console.error('postman/JointEfforts.postman_collection.json is stale: run node postman/build-collection.js');
    process.exit(1);
  }
  console.log(`collection up to date: ${folders.length} journeys`);
} else {
  fs.writeFileSync(target, text);
  console.log(`wrote ${path.relative(process.cwd(), target)}: ${folders.length} journeys`);
}
