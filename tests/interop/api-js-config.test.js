// particle-api-js 12 against particle-sim: product and device configuration
// (getProductConfiguration, getProductConfigurationSchema, setProductConfiguration and the
// device variants, and sets validated against a schema; reference/cloud-api.md §13, §3.2). Run by run.sh, which starts the
// simulator (default fleet) and sets PARTICLE_SIM_URL. Other *.test.js files share the
// simulator: this file changes only env-sensors' configuration, which no other file reads.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const Particle = require('particle-api-js');

const baseUrl = process.env.PARTICLE_SIM_URL;
const api = new Particle({ baseUrl });
const DEMO_TOKEN = '0123456789abcdef0123456789abcdef01234567';
const OTHER_TOKEN = 'fedcba9876543210fedcba9876543210fedcba98';
const PRODUCT = 'env-sensors';

// Asserts that `promise` rejects with HTTP `status`; with `withError`, a JSON error body.
async function rejectsWith(promise, status, withError = true) {
    await assert.rejects(promise, (err) => {
        assert.equal(err.statusCode, status);
        if (withError) {
            assert.equal(typeof err.body.error, 'string');
        }
        return true;
    });
}

test('product configuration: none, set, read back; a device has its own or the product\'s', async () => {
    // none set yet: the documented 404 {} (api-js reports the status, and no error text)
    await assert.rejects(api.getProductConfiguration({ product: PRODUCT, auth: DEMO_TOKEN }),
        (err) => err.statusCode === 404 && err.body.error === undefined);
    const config = { location: { radius: 25, interval_min_seconds: 900 }, imu_trig: { motion: 'disable' } };
    const set = await api.setProductConfiguration({ product: PRODUCT, config, auth: DEMO_TOKEN });
    assert.equal(set.statusCode, 200);
    assert.deepEqual(set.body.configuration, config);
    const got = await api.getProductConfiguration({ product: PRODUCT, auth: DEMO_TOKEN });
    assert.deepEqual(got.body.configuration, config);
    // no JSON Schema is set yet (the last test sets one)
    await assert.rejects(api.getProductConfigurationSchema({ product: PRODUCT, auth: DEMO_TOKEN }),
        (err) => err.statusCode === 404);

    const devices = (await api.listDevices({ product: PRODUCT, auth: DEMO_TOKEN })).body.devices;
    const online = devices.find((d) => d.online);
    assert.ok(online, 'env-sensors has an online device');
    const inherited = await api.getProductDeviceConfiguration({
        product: PRODUCT, deviceId: online.id, auth: DEMO_TOKEN });
    assert.deepEqual(inherited.body.configuration, config);
    const own = { location: { radius: 5 } };
    const applied = await api.setProductDeviceConfiguration({
        product: PRODUCT, deviceId: online.id, config: own, auth: DEMO_TOKEN });
    assert.equal(applied.statusCode, 200);
    const read = await api.getProductDeviceConfiguration({
        product: PRODUCT, deviceId: online.id, auth: DEMO_TOKEN });
    assert.deepEqual(read.body.configuration, own);
    await assert.rejects(api.getProductDeviceConfigurationSchema({
        product: PRODUCT, deviceId: online.id, auth: DEMO_TOKEN }), (err) => err.statusCode === 404);
});

test('product configuration: refused writes and callers', async () => {
    await rejectsWith(api.setProductConfiguration({
        product: PRODUCT, config: { location: 5 }, auth: DEMO_TOKEN }), 422);
    await rejectsWith(api.getProductConfiguration({ product: PRODUCT, auth: OTHER_TOKEN }), 403);
    await rejectsWith(api.setProductConfiguration({
        product: PRODUCT, config: { location: {} }, auth: OTHER_TOKEN }), 403);
    await rejectsWith(api.getProductConfiguration({ product: 'no-such-product', auth: DEMO_TOKEN }), 404);
    await rejectsWith(api.setProductDeviceConfiguration({
        product: PRODUCT, deviceId: '0123456789abcdef01234567', config: { location: {} },
        auth: DEMO_TOKEN }), 404);
});

test('configuration schemas: set one, read it back through api-js, sets validated against it', async () => {
    // particle-api-js reads schemas only: the schema is set with the simulator's PUT
    // (Content-Type: application/schema+json, reference/cloud-api.md §13)
    const schema = {
        type: 'object',
        properties: {
            location: {
                type: 'object',
                properties: { radius: { type: 'number', minimum: 0, maximum: 1000 } },
                required: ['radius'],
            },
        },
    };
    const put = await fetch(`${baseUrl}/v1/products/${PRODUCT}/config`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${DEMO_TOKEN}`, 'Content-Type': 'application/schema+json' },
        body: JSON.stringify(schema),
    });
    assert.equal(put.status, 200);
    const got = await api.getProductConfigurationSchema({ product: PRODUCT, auth: DEMO_TOKEN });
    assert.deepEqual(got.body, schema);
    const devices = (await api.listDevices({ product: PRODUCT, auth: DEMO_TOKEN })).body.devices;
    const deviceSchema = await api.getProductDeviceConfigurationSchema({
        product: PRODUCT, deviceId: devices[0].id, auth: DEMO_TOKEN });
    assert.deepEqual(deviceSchema.body, schema);

    await assert.rejects(api.setProductConfiguration({
        product: PRODUCT, config: { location: { radius: 5000 } }, auth: DEMO_TOKEN }), (err) => {
        assert.equal(err.statusCode, 422);
        assert.equal(err.body.message, 'Invalid Schema');
        assert.equal(err.body.violations[0].dataPath, '.location.radius');
        assert.equal(err.body.violations[0].keyword, 'maximum');
        return true;
    });
    await rejectsWith(api.setProductConfiguration({
        product: PRODUCT, config: { location: { mode: 'on' } }, auth: DEMO_TOKEN }), 422);
    const ok = await api.setProductConfiguration({
        product: PRODUCT, config: { location: { radius: 10 } }, auth: DEMO_TOKEN });
    assert.equal(ok.statusCode, 200);
});
