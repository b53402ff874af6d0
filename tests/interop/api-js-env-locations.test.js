// particle-api-js 12 against particle-sim: environment variables (listEnvVars, updateEnvVars,
// setEnvVar, deleteEnvVar, renderEnvVars, reviewEnvVarsRollout, startEnvVarsRollout at
// sandbox, organization, product and device scope; particle-api-js.md §2.11) with the shapes
// of src/types/responses.ts, and tracker locations (getProductLocations,
// getProductDeviceLocations; §2.7). Run by run.sh, which starts the simulator (default
// fleet) and sets PARTICLE_SIM_URL. Only environment variables change here, which no other
// file reads.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const Particle = require('particle-api-js');

const baseUrl = process.env.PARTICLE_SIM_URL;
const api = new Particle({ baseUrl });
const auth = '0123456789abcdef0123456789abcdef01234567';
const OTHER_TOKEN = 'fedcba9876543210fedcba9876543210fedcba98';
const PRODUCT = 'asset-tracker';
const ORG = 'acme';

async function rejectsWith(promise, status) {
    await assert.rejects(promise, (err) => {
        assert.equal(err.statusCode, status);
        assert.equal(typeof err.body.error, 'string');
        return true;
    });
}

function assertListShape(body) {
    assert.equal(typeof body.latest.own, 'object');
    assert.equal(typeof body.latest.inherited, 'object');
    assert.ok('updated_at' in body.latest && 'created_by' in body.latest);
    assert.equal(typeof body.last_snapshot.own, 'object');
    assert.ok('rollout_at' in body.last_snapshot && 'rollout_by' in body.last_snapshot);
}

test('environment variables: precedence org < product < device, render, review, rollout', async () => {
    const devices = (await api.listDevices({ product: PRODUCT, auth })).body.devices;
    const online = devices.find((d) => d.online);
    assert.ok(online, 'asset-tracker has an online device');
    const deviceId = online.id;

    const org = await api.updateEnvVars({ org: ORG, auth, ops: [
        { op: 'Set', key: 'REGION', value: 'eu' }, { op: 'Set', key: 'MODE', value: 'slow' }] });
    assertListShape(org.body);
    assert.deepEqual(org.body.latest.own.REGION.value, 'eu');
    await api.setEnvVar({ product: PRODUCT, key: 'MODE', value: 'fast', auth });
    const set = await api.setEnvVar({ deviceId, key: 'LABEL', value: 'unit-7', auth });
    assertListShape(set.body);
    assert.equal(set.body.latest.inherited.MODE.from, 'Product');
    assert.equal(set.body.latest.inherited.MODE.value, 'fast');
    assert.equal(set.body.latest.inherited.REGION.from, 'Owner');

    const listed = await api.listEnvVars({ deviceId, auth });
    assertListShape(listed.body);
    assert.deepEqual(listed.body.on_device.rendered, {});

    const rendered = await api.renderEnvVars({ deviceId, auth });
    assert.deepEqual(rendered.body.env, { REGION: 'eu', MODE: 'fast', LABEL: 'unit-7' });
    assert.equal(rendered.body.rollout_at, null);

    const review = await api.reviewEnvVarsRollout({ deviceId, auth });
    assert.equal(review.body.from_snapshot.changes.length, 3);
    for (const change of review.body.from_snapshot.changes) {
        assert.equal(change.op, 'Added');
        assert.equal(typeof change.after, 'string');
    }
    assert.ok(review.body.from_device);

    for (const scope of [{ org: ORG }, { product: PRODUCT }, { deviceId }]) {
        const started = await api.startEnvVarsRollout({ ...scope, when: 'Immediate', auth });
        assert.deepEqual(started.body, { success: true });
    }
    const after = await api.listEnvVars({ deviceId, auth });
    assert.deepEqual(after.body.on_device.rendered, { REGION: 'eu', MODE: 'fast', LABEL: 'unit-7' });
    assert.equal(typeof after.body.on_device.last_reported_at, 'string');
    assert.equal(after.body.last_snapshot.own.LABEL.value, 'unit-7');
    const settled = await api.reviewEnvVarsRollout({ deviceId, auth });
    assert.deepEqual(settled.body.from_snapshot.changes, []);

    const deleted = await api.deleteEnvVar({ deviceId, key: 'LABEL', auth });
    assert.equal(deleted.body.latest.own.LABEL, undefined);
    await rejectsWith(api.deleteEnvVar({ deviceId, key: 'LABEL', auth }), 404);
});

test('environment variables: the sandbox, Connect rollouts and refused calls', async () => {
    const sandbox = await api.setEnvVar({ sandbox: true, key: 'render', value: 'a name', auth });
    assert.equal(sandbox.body.latest.own.render.value, 'a name');
    assert.deepEqual((await api.renderEnvVars({ sandbox: true, auth })).body.env, { render: 'a name' });
    const started = await api.startEnvVarsRollout({ sandbox: true, when: 'Connect', auth });
    assert.equal(started.body.success, true);
    await api.deleteEnvVar({ sandbox: true, key: 'render', auth });
    assert.deepEqual((await api.listEnvVars({ sandbox: true, auth })).body.latest.own, {});

    await rejectsWith(api.updateEnvVars({ product: PRODUCT, auth, ops: [] }), 400);
    await rejectsWith(api.updateEnvVars({ product: PRODUCT, auth,
        ops: [{ op: 'Set', key: 'BAD-NAME', value: 'x' }] }), 400);
    await rejectsWith(api.startEnvVarsRollout({ product: PRODUCT, when: 'Later', auth }), 400);
    await rejectsWith(api.listEnvVars({ product: 'no-such-product', auth }), 404);
    await rejectsWith(api.listEnvVars({ org: 'no-such-org', auth }), 404);
    await rejectsWith(api.setEnvVar({ product: PRODUCT, key: 'X', value: 'y', auth: OTHER_TOKEN }), 403);
    await rejectsWith(api.listEnvVars({ deviceId: '000000000000000000000000', auth }), 403);
    const product = await api.listEnvVars({ product: PRODUCT, auth });
    assert.equal(product.body.latest.own.X, undefined);
});

test('locations: the trackers\' last positions, a time range, filters and paging', async () => {
    const all = await api.getProductLocations({ product: PRODUCT, perPage: 100, auth });
    const { meta, locations } = all.body;
    assert.equal(locations.length, meta.devices_found);
    assert.ok(meta.devices_found > 0);
    assert.equal(meta.page, 1);
    for (const loc of locations) {
        for (const key of ['device_id', 'product_id', 'device_name', 'groups', 'gps_lock',
            'last_heard', 'timestamps', 'online', 'geometry']) {
            assert.ok(key in loc, `location has ${key}`);
        }
        assert.equal(loc.geometry.type, 'Point');
        assert.equal(loc.geometry.coordinates.length, 2);
    }
    const paged = await api.getProductLocations({ product: PRODUCT, page: 2, perPage: 2, auth });
    assert.equal(paged.body.locations.length, 2);
    assert.equal(paged.body.meta.total_pages, Math.ceil(meta.devices_found / 2));
    assert.equal(paged.body.locations[0].device_id, locations[2].device_id);

    const europe = await api.getProductLocations({ product: PRODUCT, groups: 'europe', perPage: 100, auth });
    assert.ok(europe.body.locations.every((l) => l.groups.includes('europe')));
    // an array is sent as groups[0]=…&groups[1]=… (qs): the same devices as "europe,asia"
    const both = await api.getProductLocations({ product: PRODUCT, groups: ['europe', 'asia'], perPage: 100, auth });
    const joined = await api.getProductLocations({ product: PRODUCT, groups: 'europe,asia', perPage: 100, auth });
    assert.ok(both.body.meta.devices_found > europe.body.meta.devices_found);
    assert.equal(both.body.meta.devices_found, joined.body.meta.devices_found);
    assert.ok(both.body.locations.every((l) => l.groups.includes('europe') || l.groups.includes('asia')));
    const named = await api.getProductLocations({ product: PRODUCT, deviceName: 'tracker-1', auth });
    assert.ok(named.body.locations.every((l) => l.device_name.includes('tracker-1')));
    const box = await api.getProductLocations({ product: PRODUCT, rectBl: '52,4', rectTr: '53,6', perPage: 100, auth });
    assert.ok(box.body.locations.length > 0);
    for (const l of box.body.locations) {
        const [lon, lat] = l.geometry.coordinates;
        assert.ok(lat >= 52 && lat <= 53 && lon >= 4 && lon <= 6);
    }

    const deviceId = locations[0].device_id;
    const last = new Date(locations[0].timestamps[0]);
    const dateRange = `${new Date(last.getTime() - 3600 * 1000).toISOString()},${last.toISOString()}`;
    const one = await api.getProductDeviceLocations({ product: PRODUCT, deviceId, dateRange, auth });
    const loc = one.body.location;
    assert.equal(loc.device_id, deviceId);
    assert.equal(loc.geometry.type, 'LineString');
    assert.equal(loc.geometry.coordinates.length, loc.timestamps.length);
    assert.equal(loc.properties.length, loc.timestamps.length);
    for (const key of ['hd', 'acc_h', 'speed', 'temp']) {
        assert.equal(typeof loc.properties[0][key], 'number');
    }
    const ranged = await api.getProductLocations({ product: PRODUCT, deviceId, dateRange, auth });
    assert.deepEqual(ranged.body.locations[0].timestamps, loc.timestamps);

    await rejectsWith(api.getProductLocations({ product: PRODUCT, perPage: 101, auth }), 400);
    await rejectsWith(api.getProductLocations({ product: PRODUCT, dateRange: 'soon', auth }), 400);
    await rejectsWith(api.getProductLocations({ product: 'no-such-product', auth }), 404);
    await rejectsWith(api.getProductLocations({ product: PRODUCT, auth: OTHER_TOKEN }), 403);
    await rejectsWith(api.getProductDeviceLocations({ product: PRODUCT, deviceId,
        dateRange: '2000-01-01T00:00:00Z,2000-01-02T00:00:00Z', auth }), 404);
});
