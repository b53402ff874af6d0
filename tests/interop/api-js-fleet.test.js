// particle-api-js 12 against particle-sim: claim codes, product import by file, serial-number
// lookup, the device group routes through the client's generic request/get/post/put/delete,
// product device settings and quarantine (reference/cloud-api.md §5.4, §5.9-5.11, §9.5, §9.7).
// Run by run.sh, which starts the simulator and sets PARTICLE_SIM_URL. Other files share the
// simulator: these tests change only their own groups, claim tracker-11 for other@example.com,
// set tracker-8's development flag, approve tracker-10 and deny tracker-5.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Particle = require('particle-api-js');

const api = new Particle({ baseUrl: process.env.PARTICLE_SIM_URL });
const DEMO_TOKEN = '0123456789abcdef0123456789abcdef01234567';
const OTHER_TOKEN = 'fedcba9876543210fedcba9876543210fedcba98';
const PRODUCT = 'asset-tracker';
const GROUPS = `/v1/products/${PRODUCT}/groups`;

// A token of the product's customer, by client credentials with scope=customer=EMAIL.
async function customerToken() {
    const { body } = await api.request({
        uri: '/oauth/token',
        method: 'post',
        form: {
            grant_type: 'client_credentials',
            client_id: 'asset-tracker-client',
            client_secret: 'asset-tracker-secret',
            scope: 'customer=customer@example.com',
        },
    });
    return body.access_token;
}

async function productDevice(deviceId) {
    return (await api.getDevice({ deviceId, product: PRODUCT, auth: DEMO_TOKEN })).body;
}

// Asserts that `promise` rejects with `status` and a JSON body carrying an error string.
async function rejectsWith(promise, status) {
    await assert.rejects(promise, (err) => {
        assert.equal(err.statusCode, status);
        assert.equal(typeof err.body.error, 'string');
        return true;
    });
}

test('getClaimCode: a developer code claims an unclaimed device through the control API', async () => {
    const { body, statusCode } = await api.getClaimCode({ auth: OTHER_TOKEN });
    assert.equal(statusCode, 200);
    assert.equal(typeof body.claim_code, 'string');
    assert.equal(body.claim_code.length, 63);
    assert.ok(Array.isArray(body.device_ids));
    const tracker = await productDevice('tracker-11');
    assert.equal(tracker.owner, undefined);
    const claimed = await api.post({
        uri: `/sim/devices/${tracker.id}/claim`,
        data: { claim_code: body.claim_code },
        auth: DEMO_TOKEN,
    });
    assert.equal(claimed.body.owner, 'other@example.com');
    assert.equal((await productDevice('tracker-11')).owner, 'other@example.com');
    const after = (await api.getClaimCode({ auth: OTHER_TOKEN })).body;
    assert.ok(after.device_ids.includes(tracker.id));
    // single use
    await rejectsWith(api.post({
        uri: `/sim/devices/${tracker.id}/claim`,
        data: { claim_code: body.claim_code },
        auth: DEMO_TOKEN,
    }), 404);
});

test('getClaimCode with a product: the customer\'s code; others are refused', async () => {
    const customer = await customerToken();
    const { body } = await api.getClaimCode({ product: PRODUCT, auth: customer });
    assert.equal(body.claim_code.length, 63);
    const mine = await productDevice('customer-tracker');
    assert.deepEqual(body.device_ids, [mine.id]);
    await rejectsWith(api.getClaimCode({ product: PRODUCT, auth: DEMO_TOKEN }), 403);
    await rejectsWith(api.getClaimCode({ iccid: '12', auth: DEMO_TOKEN }), 400);
});

test('lookupSerialNumber finds the device by its serial number', async () => {
    const mine = await productDevice('customer-tracker');
    const { body, statusCode } = await api.lookupSerialNumber({
        serialNumber: 'E40KAB111111111', auth: DEMO_TOKEN,
    });
    assert.equal(statusCode, 200);
    assert.equal(body.ok, true);
    assert.equal(body.deviceID, mine.id);
    assert.equal(body.iccid, mine.iccid);
    await rejectsWith(api.lookupSerialNumber({ serialNumber: 'NOPE', auth: DEMO_TOKEN }), 404);
});

test('addDeviceToProduct with a file of identifiers', async () => {
    const tracker = await productDevice('tracker-7');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-js-fleet-'));
    const file = path.join(dir, 'devices.txt');
    // one identifier per line: a serial number and a device id of the same device, a blank
    // line, and something no device has
    fs.writeFileSync(file, `${tracker.serial_number}\n\n${tracker.id}\nNOT-A-DEVICE\n`);
    try {
        const { body, statusCode } = await api.addDeviceToProduct({
            product: PRODUCT, file, auth: DEMO_TOKEN,
        });
        assert.equal(statusCode, 200);
        assert.equal(body.updated, 0);
        assert.deepEqual(body.updatedDeviceIds, []);
        assert.deepEqual(body.existingDeviceIds, [tracker.id, tracker.id]);
        assert.deepEqual(body.nonmemberDeviceIds, []);
        assert.deepEqual(body.invalidDeviceIds, ['NOT-A-DEVICE']);
        assert.deepEqual(body.protectedDeviceIds, []);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    // by id as well
    const byId = await api.addDeviceToProduct({
        product: PRODUCT, deviceId: tracker.id, auth: DEMO_TOKEN,
    });
    assert.deepEqual(byId.body.existingDeviceIds, [tracker.id]);
});

test('device groups through the generic request calls', async () => {
    const created = await api.post({
        uri: GROUPS,
        data: { name: 'interop-fleet', description: 'api-js interop', color: '#123abc' },
        auth: DEMO_TOKEN,
    });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(created.body.group, {
        name: 'interop-fleet', description: 'api-js interop', color: '#123abc', device_count: 0,
    });
    await rejectsWith(api.post({ uri: GROUPS, data: { name: 'interop-fleet' }, auth: DEMO_TOKEN }),
        400);
    await rejectsWith(api.post({ uri: GROUPS, data: { name: 'Not Valid' }, auth: DEMO_TOKEN }), 400);

    const listed = await api.get({ uri: GROUPS, query: { name: 'interop' }, auth: DEMO_TOKEN });
    assert.deepEqual(listed.body.groups.map((g) => g.name), ['interop-fleet']);

    // batch assignment, then the per-device update, then the list filter
    const tracker = await productDevice('tracker-9');
    const batch = await api.put({
        uri: `/v1/products/${PRODUCT}/devices`,
        data: { action: 'groups', devices: [tracker.id], metadata: { add: ['interop-fleet'] } },
        auth: DEMO_TOKEN,
    });
    assert.deepEqual(batch.body, { ok: true });
    assert.ok((await productDevice('tracker-9')).groups.includes('interop-fleet'));
    const one = await api.get({ uri: `${GROUPS}/interop-fleet`, auth: DEMO_TOKEN });
    assert.equal(one.body.group.device_count, 1);
    const filtered = (await api.listDevices({
        product: PRODUCT, groups: ['interop-fleet'], auth: DEMO_TOKEN,
    })).body;
    assert.deepEqual(filtered.devices.map((d) => d.id), [tracker.id]);

    const renamed = await api.put({
        uri: `${GROUPS}/interop-fleet`, data: { name: 'interop-fleet-2' }, auth: DEMO_TOKEN,
    });
    assert.equal(renamed.body.group.name, 'interop-fleet-2');
    assert.equal(renamed.body.group.device_count, 1);
    assert.ok((await productDevice('tracker-9')).groups.includes('interop-fleet-2'));

    const deleted = await api.delete({ uri: `${GROUPS}/interop-fleet-2`, auth: DEMO_TOKEN });
    assert.equal(deleted.statusCode, 204);
    assert.ok(!(await productDevice('tracker-9')).groups.includes('interop-fleet-2'));
    await rejectsWith(api.get({ uri: `${GROUPS}/interop-fleet-2`, auth: DEMO_TOKEN }), 404);
    await rejectsWith(api.get({ uri: GROUPS, auth: OTHER_TOKEN }), 403);
});

test('product device settings: development flag, firmware lock and unlock', async () => {
    const tracker = await productDevice('tracker-8');
    const dev = await api.markAsDevelopmentDevice({
        deviceId: tracker.id, product: PRODUCT, development: true, auth: DEMO_TOKEN,
    });
    assert.equal(dev.body.id, tracker.id);
    assert.equal(dev.body.development, true);
    assert.equal(typeof dev.body.updated_at, 'string');
    const locked = await api.lockDeviceProductFirmware({
        deviceId: tracker.id, product: PRODUCT, desiredFirmwareVersion: 3, flash: true,
        auth: DEMO_TOKEN,
    });
    assert.equal(locked.body.desired_firmware_version, 3);
    assert.equal((await productDevice('tracker-8')).desired_firmware_version, 3);
    const unlocked = await api.unlockDeviceProductFirmware({
        deviceId: tracker.id, product: PRODUCT, auth: DEMO_TOKEN,
    });
    assert.equal(unlocked.body.desired_firmware_version, null);
    const after = await productDevice('tracker-8');
    assert.equal(after.development, true);
    assert.equal(after.desired_firmware_version, null);
    await rejectsWith(api.lockDeviceProductFirmware({
        deviceId: tracker.id, product: PRODUCT, desiredFirmwareVersion: 'x', auth: DEMO_TOKEN,
    }), 400);
});

test('quarantine: approve with addDeviceToProduct, deny with removeDevice', async () => {
    const approved = await productDevice('tracker-10');
    assert.equal(approved.quarantined, true);
    const { body } = await api.addDeviceToProduct({
        product: PRODUCT, deviceId: approved.id, auth: DEMO_TOKEN,
    });
    assert.deepEqual(body.updatedDeviceIds, [approved.id]);
    assert.equal((await productDevice('tracker-10')).quarantined, false);

    const denied = await productDevice('tracker-5');
    assert.equal(denied.quarantined, true);
    const res = await api.removeDevice({
        deviceId: denied.id, product: PRODUCT, deny: true, auth: DEMO_TOKEN,
    });
    assert.equal(res.statusCode, 204);
    const after = await productDevice('tracker-5');
    assert.equal(after.denied, true);
    assert.equal(after.quarantined, false);
    // an approved device cannot be denied
    await rejectsWith(api.removeDevice({
        deviceId: approved.id, product: PRODUCT, deny: true, auth: DEMO_TOKEN,
    }), 400);
});
