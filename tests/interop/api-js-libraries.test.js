// particle-api-js 12 against particle-sim: every library method (listLibraries with each
// filter, getLibrary with and without a version, getLibraryVersions, contributeLibrary with a
// real .tar.gz built here, publishLibrary, deleteLibrary) and downloadFile of an archive link
// (particle-api-js.md §2.5, docs/SIM.md "Libraries"), with the JSON:API shapes the client's
// Library class reads and the documented errors. Run by run.sh, which starts the simulator
// and sets PARTICLE_SIM_URL; contributed library names start with "Js" so other files
// sharing the simulator are not disturbed.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');
const Particle = require('particle-api-js');

const api = new Particle({ baseUrl: process.env.PARTICLE_SIM_URL });
const auth = '0123456789abcdef0123456789abcdef01234567'; // demo@example.com
const OTHER = 'fedcba9876543210fedcba9876543210fedcba98'; // other@example.com

async function rejectsWith(promise, status) {
    await assert.rejects(promise, (err) => {
        assert.equal(err.statusCode, status);
        assert.equal(typeof err.body.error, 'string');
        return true;
    });
}

// A JSON:API library item as particle-api-js's Library class reads it.
function assertItem(item, name) {
    assert.equal(item.type, 'libraries');
    assert.equal(item.id, name);
    const a = item.attributes;
    assert.equal(a.name, name);
    assert.match(a.version, /^\d+\.\d+\.\d+$/);
    assert.equal(typeof a.author, 'string');
    assert.ok(Array.isArray(a.architectures));
    assert.ok(['public', 'private'].includes(a.visibility));
    assert.equal(typeof a.mine, 'boolean');
    assert.match(item.links.download, /^http:\/\/.*\.tar\.gz$/);
}

const ids = (res) => res.body.data.map((item) => item.id);

// A .tar.gz of a library directory holding library.properties (the system tar).
function archive(name, version) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'js-library-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'library.properties'),
        `name=${name}\nversion=${version}\nauthor=Interop\nsentence=From particle-api-js\n` +
        'architectures=particle-argon\ndependencies.neopixel=1.0.3\n');
    fs.writeFileSync(path.join(dir, 'src', `${name}.h`), '#pragma once\n');
    const file = path.join(dir, 'archive.tar.gz');
    execFileSync('tar', ['czf', file, '-C', dir, 'library.properties', 'src']);
    return { file, bytes: fs.readFileSync(file) };
}

test('listLibraries: filters, sort, scope, pages', async () => {
    const all = await api.listLibraries({ auth });
    assert.equal(all.statusCode, 200);
    assert.ok(all.body.data.length >= 5);
    all.body.data.forEach((item) => assertItem(item, item.id));

    assert.deepEqual(ids(await api.listLibraries({ auth, filter: 'json' })),
        ['JsonParserGeneratorRK']);
    assert.deepEqual(ids(await api.listLibraries({ auth, scope: 'official' })), ['InternetButton']);
    assert.deepEqual(ids(await api.listLibraries({ auth, category: 'Sensors' })), ['Adafruit_DHT']);
    assert.deepEqual(ids(await api.listLibraries({
        auth, architectures: ['particle-electron'], excludeScopes: ['official', 'featured'],
        sort: '-installs',
    })), ['Adafruit_DHT', 'OneWire', 'JsonParserGeneratorRK']);
    assert.deepEqual(ids(await api.listLibraries({
        auth, scope: 'verified', sort: 'popularity', page: 2, limit: 2,
    })), ['InternetButton', 'JsonParserGeneratorRK']);
    await rejectsWith(api.listLibraries({ auth, scope: 'everything' }), 400);
    await rejectsWith(api.listLibraries({ auth, sort: 'size' }), 400);
});

test('getLibrary, getLibraryVersions and downloadFile of the archive', async () => {
    const latest = (await api.getLibrary({ auth, name: 'InternetButton' })).body.data;
    assertItem(latest, 'InternetButton');
    assert.equal(latest.attributes.version, '0.1.12');
    assert.equal(latest.attributes.official, true);
    assert.deepEqual(latest.attributes.dependencies, { neopixel: '1.0.3' });
    const old = (await api.getLibrary({ auth, name: 'InternetButton', version: '0.1.10' })).body;
    assert.equal(old.data.attributes.version, '0.1.10');
    await rejectsWith(api.getLibrary({ auth, name: 'InternetButton', version: '9.9.9' }), 404);
    await rejectsWith(api.getLibrary({ auth, name: 'no-such-library' }), 404);

    const versions = (await api.getLibraryVersions({ auth, name: 'neopixel' })).body.data;
    assert.deepEqual(versions.map((v) => v.attributes.version), ['1.0.4', '1.0.3', '1.0.0']);
    const page = (await api.getLibraryVersions({ auth, name: 'neopixel', page: 2, limit: 2 })).body;
    assert.deepEqual(page.data.map((v) => v.attributes.version), ['1.0.0']);
    await rejectsWith(api.getLibraryVersions({ auth, name: 'no-such-library' }), 404);

    const buffer = await api.downloadFile({ uri: versions[1].links.download });
    const tar = zlib.gunzipSync(Buffer.from(buffer)).toString('latin1');
    assert.ok(tar.includes('name=neopixel\nversion=1.0.3\n'));
    assert.ok(tar.includes('src/neopixel.h'));
});

test('contributeLibrary, publishLibrary, deleteLibrary', async () => {
    const { bytes } = archive('JsInteropLib', '0.1.0');
    const contributed = await api.contributeLibrary({ auth, archive: bytes });
    assert.equal(contributed.statusCode, 200);
    assertItem(contributed.body.data, 'JsInteropLib');
    assert.equal(contributed.body.data.attributes.visibility, 'private');
    assert.equal(contributed.body.data.attributes.mine, true);
    // the archive link gives back the very bytes sent
    const back = await api.downloadFile({ uri: contributed.body.data.links.download });
    assert.ok(Buffer.from(back).equals(bytes));

    await rejectsWith(api.contributeLibrary({ auth, archive: bytes }), 400); // exists
    await rejectsWith(api.contributeLibrary({ auth: OTHER, archive: bytes }), 403);
    await rejectsWith(api.contributeLibrary({ auth, archive: Buffer.from('not gzip') }), 400);
    await rejectsWith(api.getLibrary({ auth: OTHER, name: 'JsInteropLib' }), 404);
    assert.deepEqual(ids(await api.listLibraries({ auth, scope: 'private', filter: 'JsInterop' })),
        ['JsInteropLib']);

    await rejectsWith(api.publishLibrary({ auth: OTHER, name: 'JsInteropLib' }), 404);
    const published = await api.publishLibrary({ auth, name: 'JsInteropLib' });
    assert.equal(published.body.data.attributes.visibility, 'public');
    const seen = (await api.getLibrary({ auth: OTHER, name: 'JsInteropLib' })).body.data;
    assert.equal(seen.attributes.mine, false);
    await rejectsWith(api.deleteLibrary({ auth: OTHER, name: 'JsInteropLib' }), 403);
    await rejectsWith(api.deleteLibrary({ auth, name: 'JsInteropLib' }), 403); // public now

    // a private library (the contribution read from a file path) is deleted by its owner
    const scratch = archive('JsScratchLib', '1.0.0');
    await api.contributeLibrary({ auth, archive: scratch.file });
    const deleted = await api.deleteLibrary({ auth, name: 'JsScratchLib' });
    assert.equal(deleted.statusCode, 200);
    assert.equal(deleted.body.ok, true);
    await rejectsWith(api.getLibrary({ auth, name: 'JsScratchLib' }), 404);
    await rejectsWith(api.deleteLibrary({ auth, name: 'JsScratchLib' }), 404);
});
