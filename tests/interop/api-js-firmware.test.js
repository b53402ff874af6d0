// particle-api-js 12 against particle-sim: product firmware (upload, list, get, update,
// download, release), flashing a developer device, compiling (the documented error, then a
// prepared binary), binary download, build targets and Device OS versions, and a rollout to
// a product group observed through the event stream (reference/cloud-api.md §5.9, §9.6, §12).
// Run by run.sh, which starts the simulator and sets PARTICLE_SIM_URL. Other files share the
// simulator: these tests add firmware to env-sensors only, release it to its "lab" group, and
// advance the clock in single steps long enough that no device stays offline between them.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const Particle = require('particle-api-js');

const api = new Particle({ baseUrl: process.env.PARTICLE_SIM_URL });
const DEMO_TOKEN = '0123456789abcdef0123456789abcdef01234567';
const PRODUCT = 'env-sensors'; // Argons: platform 12
const ADVANCE_MS = 120000; // a release's staggered starts, the flash and the reboot

// An application module for `platformId` (the prefix binary-version-reader reads: start and
// end address, flags, module version, platform id at byte 12, module function 5 = user part)
// with the 32 hash bytes `seed`, `seed`+1, ... before the suffix size and the CRC.
function moduleBinary(platformId, size, seed) {
    const b = Buffer.alloc(size);
    for (let i = 0; i < size; i++) b[i] = (i * 7 + seed) & 0xff;
    const start = 0x000d4000;
    b.fill(0, 0, 24);
    b.writeUInt32LE(start, 0);
    b.writeUInt32LE(start + size - 4, 4);
    b.writeUInt16LE(6, 10);
    b.writeUInt16LE(platformId, 12);
    b[14] = 5;
    b[15] = 1;
    b[16] = 4;
    b[17] = 1;
    for (let i = 0; i < 32; i++) b[size - 38 + i] = (seed + i) & 0xff;
    return b;
}

function appHash(seed) {
    let hex = '';
    for (let i = 0; i < 32; i++) hex += ((seed + i) & 0xff).toString(16).padStart(2, '0');
    return hex.toUpperCase();
}

async function rejectsWith(promise, status) {
    await assert.rejects(promise, (err) => {
        assert.equal(err.statusCode, status);
        assert.equal(typeof err.body.error, 'string');
        return true;
    });
}

async function advance(ms) {
    const { body } = await api.post({ uri: '/sim/clock/advance', data: { ms }, auth: DEMO_TOKEN });
    assert.equal(body.ok, true);
}

async function productDevices() {
    const all = [];
    for (let page = 1; ; page++) {
        const { body } = await api.listDevices({ product: PRODUCT, page, perPage: 100, auth: DEMO_TOKEN });
        all.push(...body.devices);
        if (page >= body.meta.total_pages) return all;
    }
}

// Events from `stream` until `done(events)` holds (or `timeoutMs`).
function collect(stream, done, timeoutMs) {
    const events = [];
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`stream: ${events.length} events, not done`)), timeoutMs);
        stream.on('event', (ev) => {
            events.push(ev);
            if (done(events)) {
                clearTimeout(timer);
                resolve(events);
            }
        });
    });
}

const FIRMWARE = moduleBinary(12, 6000, 11);

test('uploadProductFirmware, then list, get, update and download the same bytes', async () => {
    const up = await api.uploadProductFirmware({
        file: FIRMWARE, version: 11, title: 'Eleven', description: 'interop', product: PRODUCT, auth: DEMO_TOKEN,
    });
    assert.equal(up.statusCode, 201);
    assert.equal(up.body.version, 11);
    assert.equal(up.body.size, FIRMWARE.length);
    assert.equal(up.body.product_default, false);

    const list = await api.listProductFirmware({ product: PRODUCT, auth: DEMO_TOKEN });
    assert.ok(list.body.some((f) => f.version === 11 && f.title === 'Eleven'));
    const got = await api.getProductFirmware({ version: 11, product: PRODUCT, auth: DEMO_TOKEN });
    assert.equal(got.body.description, 'interop');
    const upd = await api.updateProductFirmware({
        version: 11, title: 'Eleven (final)', description: 'ready', product: PRODUCT, auth: DEMO_TOKEN,
    });
    assert.equal(upd.body.title, 'Eleven (final)');
    const bytes = await api.downloadProductFirmware({ version: 11, product: PRODUCT, auth: DEMO_TOKEN });
    assert.ok(Buffer.from(bytes).equals(FIRMWARE));
});

test('bad uploads are 4xx JSON errors and change nothing', async () => {
    const args = { title: 'Bad', product: PRODUCT, auth: DEMO_TOKEN };
    await rejectsWith(api.uploadProductFirmware({ ...args, file: FIRMWARE, version: 11 }), 409);
    await rejectsWith(api.uploadProductFirmware({ ...args, file: moduleBinary(13, 2000, 1), version: 12 }), 400);
    await rejectsWith(api.uploadProductFirmware({ ...args, file: Buffer.from('not firmware'), version: 12 }), 400);
    await rejectsWith(api.releaseProductFirmware({ version: 99, product_default: true, product: PRODUCT, auth: DEMO_TOKEN }), 404);
    const list = await api.listProductFirmware({ product: PRODUCT, auth: DEMO_TOKEN });
    assert.ok(!list.body.some((f) => f.version === 12 || f.version === 99));
});

test('releaseProductFirmware to a group: the rollout on the event stream matches the devices', async () => {
    const before = await productDevices();
    const lab = before.filter((d) => d.groups.includes('lab') && d.online && !d.development);
    assert.ok(lab.length > 2);
    const failing = lab[0];
    await api.post({ uri: `/sim/devices/${failing.id}/firmware`, data: { fail: true }, auth: DEMO_TOKEN });

    const stream = await api.getEventStream({ product: PRODUCT, name: 'spark/flash/status', auth: DEMO_TOKEN });
    const finished = (evs) => evs.filter((e) => e.data !== 'started').length >= lab.length;
    const seen = collect(stream, finished, 20000);
    const rel = await api.releaseProductFirmware({ version: 11, groups: ['lab'], product: PRODUCT, auth: DEMO_TOKEN });
    assert.deepEqual(rel.body.groups, ['lab']);
    await advance(ADVANCE_MS);
    const events = await seen;
    stream.abort();

    const outcome = new Map();
    for (const e of events.filter((ev) => ev.data !== 'started')) outcome.set(e.coreid, e.data);
    assert.equal(events.filter((e) => e.data === 'started').length, lab.length);
    assert.equal(outcome.get(failing.id), 'failed');
    const after = new Map((await productDevices()).map((d) => [d.id, d]));
    for (const d of lab) {
        const now = after.get(d.id);
        assert.equal(now.targeted_firmware_release_version, 11);
        assert.equal(now.firmware_version, outcome.get(d.id) === 'success' ? 11 : d.firmware_version);
        assert.equal(now.online, true);
    }
    for (const d of before.filter((x) => !x.groups.includes('lab'))) {
        assert.equal(after.get(d.id).firmware_version, d.firmware_version);
        assert.ok(!outcome.has(d.id));
    }
    const fw = (await api.getProductFirmware({ version: 11, product: PRODUCT, auth: DEMO_TOKEN })).body;
    assert.equal(fw.device_count, lab.length - 1);
});

test('flashDevice with a binary updates a developer device (spark/device/app-hash)', async () => {
    const device = (await api.getDevice({ deviceId: 'demo-argon-1', auth: DEMO_TOKEN })).body;
    const stream = await api.getEventStream({ deviceId: device.id, name: 'spark/device/app-hash', auth: DEMO_TOKEN });
    const seen = collect(stream, (evs) => evs.length >= 1, 20000);
    const res = await api.flashDevice({ deviceId: device.id, files: { 'app.bin': moduleBinary(12, 3000, 40) }, auth: DEMO_TOKEN });
    assert.equal(res.body.status, 'Update started');
    await advance(ADVANCE_MS);
    const [ev] = await seen;
    stream.abort();
    assert.equal(ev.data, appHash(40));
    await rejectsWith(api.flashDevice({ deviceId: device.id, files: { 'app.bin': moduleBinary(13, 3000, 1) }, auth: DEMO_TOKEN }), 400);
});

test('compileCode: the documented error, then a prepared binary to download', async () => {
    const source = { 'blink.ino': Buffer.from('void setup() {}\nvoid loop() {}\n') };
    await assert.rejects(api.compileCode({ files: source, platformId: 12, auth: DEMO_TOKEN }), (err) => {
        assert.equal(err.statusCode, 400);
        assert.equal(err.body.ok, false);
        assert.match(err.body.errors[0], /no compiler/);
        return true;
    });
    const blink = moduleBinary(12, 2500, 60);
    const prepared = await api.request({
        uri: '/sim/binaries', method: 'post', auth: DEMO_TOKEN, form: { source: 'blink.ino' }, files: { 'blink.bin': blink },
    });
    assert.equal(prepared.statusCode, 201);
    const compiled = await api.compileCode({ files: source, platformId: 12, auth: DEMO_TOKEN });
    assert.equal(compiled.body.ok, true);
    assert.equal(compiled.body.binary_id, prepared.body.binary_id);
    const bytes = await api.downloadFirmwareBinary({ binaryId: compiled.body.binary_id, auth: DEMO_TOKEN });
    assert.ok(Buffer.from(bytes).equals(blink));
});

test('listBuildTargets, listDeviceOsVersions and getDeviceOsVersion read the simulator table', async () => {
    const targets = (await api.listBuildTargets({ auth: DEMO_TOKEN })).body;
    assert.ok(targets.targets.some((t) => t.platforms.includes(12)));
    assert.equal(targets.platforms.Argon, 12);
    const versions = (await api.listDeviceOsVersions({ platformId: 12, auth: DEMO_TOKEN })).body;
    assert.ok(versions.length > 0 && versions.every((v) => v.platform_id === 12));
    const one = (await api.getDeviceOsVersion({ version: versions[0].version, platformId: 12, auth: DEMO_TOKEN })).body;
    assert.equal(one.version, versions[0].version);
    await rejectsWith(api.getDeviceOsVersion({ version: '0.0.1', auth: DEMO_TOKEN }), 404);
});
